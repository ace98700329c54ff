// Passes: declares main's status 3.
#include <hmemu/test.h>

HMEMU_EXPECT_EXIT(3);

int main(void)
{
	return 3;
}
