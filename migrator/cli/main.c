#include <stdio.h>
int main(void)
{
	puts("migrator " MIGRATOR_VERSION);
	return 0;
}
