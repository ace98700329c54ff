// Fails: declares a leak that never happens.
#include <hmemu/test.h>

HMEMU_EXPECT_FINDING(kmap_leak);

int main(void)
{
	return 0;
}
