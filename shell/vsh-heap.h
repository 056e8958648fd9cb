/*
 * vsh-heap.h — a heap in huge pages for the commands that parse XML.
 *
 * On the virtual machines vsh runs on, the first touch of a fresh anonymous 4 KiB page
 * costs about 14 µs, while a whole 2 MiB transparent huge page costs about 150 µs (a loop
 * touching 2 MiB: 7 ms against 0.15 ms). A `vsh define` allocates about 1.5 MB in small
 * blocks (libxml2 compiling the RelaxNG schema and building the document): some 100 page
 * faults, 1.5 ms of a 9 ms command. shell_heap_huge_pages() makes the rest of the brk heap
 * huge-page backed (madvise(MADV_HUGEPAGE), which works when the host's THP mode is
 * "madvise" or "always"). Commands that do not parse never call it: one huge page costs
 * more than the few pages they touch. See docs/architecture.md, "Huge pages for parsing".
 */
#ifndef VSH_SHELL_HEAP_H
#define VSH_SHELL_HEAP_H

/* Best effort and idempotent: with another allocator (a sanitizer's), a heap that is not
 * one contiguous brk area, or no THP in the kernel, nothing changes. */
void shell_heap_huge_pages(void);

#endif /* VSH_SHELL_HEAP_H */
