/*
 * vsh-heap.c — a heap in huge pages for the commands that parse XML (vsh-heap.h).
 */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vsh-heap.h"

#define HUGE_PAGE ((uintptr_t) 2 << 20)

void
shell_heap_huge_pages(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !defined(__SANITIZE_ADDRESS__)
    static bool done;
    static void *pad;           /* kept: it only reserves address space below the boundary */
    uintptr_t brk_end, top, boundary;

    if (done)
        return;
    done = true;
    /*
     * Keep every block in the brk heap (a block above the mmap threshold would be a
     * mapping of its own, in 4 KiB pages), never give the heap back, and grow it 4 MiB at
     * a time so that what follows lies in one area.
     */
    if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TRIM_THRESHOLD, 64 << 20) ||
        !mallopt(M_TOP_PAD, 4 << 20))
        return;
    /*
     * The free space at the top of the heap runs from `top` to the break. Fill it with one
     * block that ends a little below the next 2 MiB boundary, so that the heap's new top,
     * and every block carved from it later, starts in untouched memory above the boundary.
     * The block is never touched beyond its header, so it costs no page.
     */
    brk_end = (uintptr_t) sbrk(0);
    top = brk_end - mallinfo2().keepcost;
    boundary = (top + 4096 + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    pad = malloc(boundary - top - 512);
    brk_end = (uintptr_t) sbrk(0);
    /* the block must have come from that top, and the break must have moved past the
     * boundary; anything else (another allocator, a heap in pieces) is left alone */
    if (!pad || (uintptr_t) pad < top || (uintptr_t) pad >= boundary ||
        brk_end < boundary + HUGE_PAGE)
        return;
    (void) madvise((void *) boundary, brk_end - boundary, MADV_HUGEPAGE);
#endif
}
