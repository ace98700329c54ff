// Fails: main returns 1.
int main(void)
{
	return 1;
}
