// Fails: writes through a NULL pointer (oops).
int main(void)
{
	*(volatile int *)0 = 1;
	return 0;
}
