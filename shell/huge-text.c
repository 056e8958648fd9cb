/*
 * huge-text.c: the static vsh's first instructions ask for its code in huge pages.
 *
 * Every vsh command is a new process, and on virtual machines whose page tables the
 * hypervisor shadows, each 4 KiB page of code a process touches for the first time costs a
 * few microseconds even when the file is in the page cache (a define touches hundreds).
 * A page of the file that the page cache holds in one 2 MiB folio is mapped whole, by one
 * page-table entry at the first touch, and costs nothing more afterwards.
 *
 * The kernel reads a file mapping into 2 MiB folios only when the faulting mapping has
 * been advised MADV_HUGEPAGE and the range is not cached yet; a range already read in
 * small folios stays so until it is evicted. glibc's start-up runs code and reads data
 * all over the program before any constructor could give the advice, so the advice is
 * given here, at the ELF entry point, before anything else runs: shell/huge-text.ld puts
 * this stub alone past the last 2 MiB of code, and -z max-page-size=0x200000 makes every
 * segment start on a 2 MiB boundary of the file and of memory (docs/architecture.md,
 * "Huge pages for vsh's code"). Kernels, file systems or THP modes that cannot do it
 * ignore the advice.
 */

#include <sys/mman.h>
#include <sys/syscall.h>

#define HUGE_TEXT_STR_(x) #x
#define HUGE_TEXT_STR(x) HUGE_TEXT_STR_(x)

/*
 * vsh_entry: the program's entry point (-e vsh_entry), jumping on to glibc's _start with
 * the registers and stack the kernel set up.
 *
 * madvise(__executable_start, _end - __executable_start, MADV_HUGEPAGE) covers every
 * mapping of the image; only the read-only ones are ever mapped from huge folios. The
 * range spans the gaps between the segments, so the call fails with ENOMEM after advising
 * each mapping in it: the result is not looked at. %rdx carries the function that _start
 * registers with atexit (none from the kernel) and is kept across the call; the system
 * call itself changes only %rax, %rcx and %r11.
 */
__asm__(
	"	.section .vsh.entry,\"ax\",@progbits\n"
	"	.globl vsh_entry\n"
	"	.type vsh_entry, @function\n"
	"vsh_entry:\n"
	"	mov %rdx, %r8\n"
	"	mov $" HUGE_TEXT_STR(SYS_madvise) ", %eax\n"
	"	lea __executable_start(%rip), %rdi\n"
	"	lea _end(%rip), %rsi\n"
	"	sub %rdi, %rsi\n"
	"	mov $" HUGE_TEXT_STR(MADV_HUGEPAGE) ", %edx\n"
	"	syscall\n"
	"	mov %r8, %rdx\n"
	"	jmp _start\n"
	"	.size vsh_entry, . - vsh_entry\n"
	"	.text\n");
