// Fails: does not compile.
int main(void)
{
	return undeclared_thing;
}
