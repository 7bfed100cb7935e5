/*
 * encoding.c: decoding files from a Java charset, and the loadData CSV
 * checksum filter reading a file in pieces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "migrator/checksum.h"
#include "migrator/encoding.h"
#include "migrator/error.h"
#include "migrator/hash.h"

static void test_latin1(void **state)
{
	mg_buf out = MG_BUF_INIT;

	(void)state;
	assert_int_equal(mg_decode(&out, "caf\xe9 \xa7", 6, "ISO-8859-1"), 0);
	assert_string_equal(out.ptr, "caf\xc3\xa9 \xc2\xa7");
	mg_buf_reset(&out);
	/* Java's alias spelling */
	assert_int_equal(mg_decode(&out, "\x80", 1, "Cp1252"), 0);
	assert_string_equal(out.ptr, "\xe2\x82\xac");
	mg_buf_reset(&out);
	/* UTF-8 passes through untouched */
	assert_int_equal(mg_decode(&out, "\xff", 1, "utf-8"), 0);
	assert_memory_equal(out.ptr, "\xff", 1);
	mg_buf_release(&out);
}

static void test_unknown_charset(void **state)
{
	mg_buf out = MG_BUF_INIT;

	(void)state;
	assert_int_equal(mg_decode(&out, "x", 1, "NO-SUCH-CHARSET"),
			 MG_EINVALID);
	assert_non_null(strstr(mg_error_last()->message, "NO-SUCH-CHARSET"));
	mg_buf_release(&out);
}

/* A character cut between two reads waits for the rest. */
static void test_cut_sequences(void **state)
{
	const char utf16[] = "\x00h\x00\xe9\x00!"; /* UTF-16BE "hé!" */
	mg_decoder *d;
	mg_buf out = MG_BUF_INIT;

	(void)state;
	assert_int_equal(mg_decoder_new(&d, "UTF-16BE"), 0);
	for (size_t i = 0; i < 6; i++)
		mg_decoder_feed(d, &out, utf16 + i, 1, i == 5);
	assert_string_equal(out.ptr, "h\xc3\xa9!");
	mg_decoder_free(d);
	/* malformed bytes become U+FFFD, a cut one at the end too */
	mg_buf_reset(&out);
	assert_int_equal(mg_decoder_new(&d, "UTF-16BE"), 0);
	mg_decoder_feed(d, &out, "\x00" "a\x00", 3, true);
	assert_string_equal(out.ptr, "a\xef\xbf\xbd");
	mg_decoder_free(d);
	mg_buf_release(&out);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* spec 1.4.1: CRs, empty lines and comment lines are not hashed */
static void test_csv_checksum(void **state)
{
	char path[] = "/tmp/mg-unit-csv-XXXXXX", hex[33], want[33];
	const char raw[] = "\xef\xbb\xbf" "a,b\r\n\r\n# note\r\n1,\"x\r\ny\"\n\n2,z\n";
	const char kept[] = "a,b\n1,\"x\ny\"\n2,z";
	int fd = mkstemp(path);
	mg_buf big = MG_BUF_INIT, bigkept = MG_BUF_INIT;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, raw, sizeof(raw) - 1);
	assert_int_equal(mg_checksum_csv_file(hex, path, "#"), 0);
	mg_md5_hex(want, kept, sizeof(kept) - 1);
	assert_string_equal(hex, want);
	/* no comment character: the # line is data */
	assert_int_equal(mg_checksum_csv_file(hex, path, ""), 0);
	mg_md5_hex(want, "a,b\n# note\n1,\"x\ny\"\n2,z", 22);
	assert_string_equal(hex, want);
	/* larger than one read: lines cut between reads */
	for (int i = 0; i < 20000; i++) {
		mg_buf_printf(&big, "%d,value %d\r\n%s", i, i, i % 7 ? "" : "#c\n\n");
		mg_buf_printf(&bigkept, "%s%d,value %d", i ? "\n" : "", i, i);
	}
	write_file(path, big.ptr, big.len);
	assert_int_equal(mg_checksum_csv_file(hex, path, "#"), 0);
	mg_md5_hex(want, bigkept.ptr, bigkept.len);
	assert_string_equal(hex, want);
	unlink(path);
	assert_int_equal(mg_checksum_csv_file(hex, path, "#"), MG_ENOTFOUND);
	mg_buf_release(&big);
	mg_buf_release(&bigkept);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_unknown_charset),
		cmocka_unit_test(test_cut_sequences),
		cmocka_unit_test(test_csv_checksum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
