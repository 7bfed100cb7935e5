/*
 * resource.c: open a changelog resource as Liquibase's PathResource
 * does: a file whose name ends in ".gz" (any case) is read through
 * gzip, everything else as it is.
 */
#define _GNU_SOURCE /* fopencookie */
#include "migrator/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
	int n = gzread((gzFile)cookie, buf,
		       (unsigned)(size > 1u << 30 ? 1u << 30 : size));

	if (n < 0) {
		errno = EIO;
		return -1;
	}
	return n;
}

static int gz_close(void *cookie)
{
	return gzclose((gzFile)cookie) == Z_OK ? 0 : EOF;
}

bool mg_resource_is_gzip(const char *path)
{
	size_t n = strlen(path);

	return n >= 3 && !strcasecmp(path + n - 3, ".gz");
}

FILE *mg_resource_open(const char *path)
{
	cookie_io_functions_t io = { gz_read, NULL, NULL, gz_close };
	gzFile gz;
	FILE *f;

	if (!mg_resource_is_gzip(path))
		return fopen(path, "rb");
	if (!(gz = gzopen(path, "rb")))
		return NULL;
	if (!(f = fopencookie(gz, "rb", io)))
		gzclose(gz);
	return f;
}
