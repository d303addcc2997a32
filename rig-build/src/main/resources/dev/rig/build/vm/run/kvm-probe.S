# rig's KVM probe: a 64 KiB firmware image (QEMU -bios) that takes the vCPU from reset through
# 32-bit protected mode into 64-bit long mode, the way every x86-64 kernel starts, writing one
# letter to the first serial port at each step: R (real mode), P (protected), L then OK (long).
# A host where /dev/kvm opens but nested guests cannot run 64-bit code stops after "RP" (the
# vCPU resets; with -no-reboot QEMU exits). KvmProbeImage holds these bytes; its test
# assembles this file again (as --32; objcopy -O binary) and compares.
        .code16
        .org 0
start16:
        cli
        mov $0x3f8, %dx
        mov $'R', %al
        out %al, %dx
        lgdtl %cs:(gdtr - start16)
        mov %cr0, %eax
        or $1, %eax
        mov %eax, %cr0
        ljmpl $0x08, $(0xF0000 + pm32 - start16)
        .code32
pm32:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        mov $'P', %al
        out %al, %dx
        # identity map the first GiB: PML4 at 0x1000 -> PDPT at 0x2000 -> one 1 GiB page
        movl $0x2003, 0x1000
        movl $0, 0x1004
        movl $0x83, 0x2000
        movl $0, 0x2004
        mov $0x1000, %eax
        mov %eax, %cr3
        mov %cr4, %eax
        or $0x20, %eax
        mov %eax, %cr4
        mov $0xC0000080, %ecx
        rdmsr
        or $0x100, %eax
        wrmsr
        mov %cr0, %eax
        or $0x80000000, %eax
        mov %eax, %cr0
        ljmp $0x18, $(0xF0000 + lm64 - start16)
        .code64
lm64:
        mov $0x3f8, %dx
        mov $'L', %al
        out %al, %dx
        mov $'O', %al
        out %al, %dx
        mov $'K', %al
        out %al, %dx
        mov $'\n', %al
        out %al, %dx
1:      hlt
        jmp 1b
        .align 8
gdt:
        .quad 0
        .quad 0x00CF9A000000FFFF
        .quad 0x00CF92000000FFFF
        .quad 0x00AF9A000000FFFF
gdtr:
        .word gdtr - gdt - 1
        .long 0xF0000 + gdt - start16
        .org 0xFFF0
        .code16
        ljmp $0xF000, $0
        .org 0x10000, 0xf4
