/* Compiles the public headers alone with -pedantic -Werror. */
#include "migrator/migrator.h"

int main(void)
{
	return 0;
}
