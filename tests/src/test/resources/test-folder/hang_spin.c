// Fails: never returns; the instruction limit stops it.
int main(void)
{
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}
