// Passes: declares that the run must end in an oops.
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(oops);

int main(void)
{
	*(volatile int *)0x10 = 1;
	return 0;
}
