/*
 * migrator.h: umbrella header of the migrator core library.
 * Allocation failure aborts the program (see util.h); every other
 * failure is a negative return code with details in mg_error_last().
 */
#ifndef MIGRATOR_MIGRATOR_H
#define MIGRATOR_MIGRATOR_H

#include "migrator/util.h"
#include "migrator/buf.h"
#include "migrator/arena.h"
#include "migrator/error.h"
#include "migrator/node.h"
#include "migrator/model.h"
#include "migrator/plan.h"
#include "migrator/sqlgen.h"

#endif
