/* registry.c: the compiled-in database drivers. */
