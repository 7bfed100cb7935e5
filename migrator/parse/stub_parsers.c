/* Temporary stubs until the parsers land. */
#include "migrator/node.h"
#include "migrator/error.h"
