/*
 * fuzz_csv.c: the CSV reader of loadData and loadUpdateData, through a
 * changelog that names the CSV and the SQL generator that streams it.
 * The first input byte picks one of the changelogs below (separator,
 * quote character, encoding, column types, prepared statements); the
 * rest is the CSV file.
 */
#include <stdio.h>

#include "fuzz_util.h"

static const char *const variants[] = {
	"<loadData tableName=\"t\" file=\"data.csv\"/>",
	"<loadData tableName=\"t\" file=\"data.csv\" separator=\";\" "
	"quotchar=\"'\" commentLineStartsWith=\"#\"/>",
	"<loadData tableName=\"t\" file=\"data.csv\" separator=\"\\t\" "
	"encoding=\"ISO-8859-1\"/>",
	"<loadData tableName=\"t\" schemaName=\"s\" file=\"data.csv\">"
	"<column name=\"id\" type=\"NUMERIC\"/>"
	"<column name=\"ok\" type=\"BOOLEAN\"/>"
	"<column name=\"at\" type=\"DATE\"/>"
	"<column index=\"3\" name=\"u\" type=\"UUID\"/>"
	"<column header=\"skip\" type=\"SKIP\"/>"
	"<column name=\"c\" type=\"COMPUTED\"/>"
	"<column name=\"s\" type=\"STRING\" defaultValue=\"x\"/>"
	"</loadData>",
	"<loadData tableName=\"t\" file=\"data.csv\" "
	"usePreparedStatements=\"true\">"
	"<column name=\"b\" type=\"BLOB\"/><column name=\"c\" type=\"CLOB\"/>"
	"<column name=\"n\" type=\"NUMERIC\"/></loadData>",
	"<loadUpdateData tableName=\"t\" file=\"data.csv\" primaryKey=\"id\"/>",
	"<loadUpdateData tableName=\"t\" file=\"data.csv\" primaryKey=\"id,k\" "
	"onlyUpdate=\"true\"><column name=\"k\" type=\"date\"/>"
	"<column name=\"id\" type=\"int\"/></loadUpdateData>",
	"<loadData tableName=\"t\" file=\"data.csv\" encoding=\"UTF-16\" "
	"separator=\"|\" quotchar=\"\"/>",
};

#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

static char paths[NVARIANTS][4096 + 256];

static void write_changelogs(void)
{
	char name[32], text[4096];

	for (size_t i = 0; i < NVARIANTS; i++) {
		int n = snprintf(text, sizeof(text),
				 "<databaseChangeLog>\n"
				 "<changeSet id=\"1\" author=\"fuzz\">%s</changeSet>\n"
				 "</databaseChangeLog>\n",
				 variants[i]);

		snprintf(name, sizeof(name), "changelog%zu.xml", i);
		snprintf(paths[i], sizeof(paths[i]), "%s",
			 fuzz_write(name, text, (size_t)n));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!paths[0][0])
		write_changelogs();
	if (size < 1)
		return -1;
	fuzz_write("data.csv", data + 1, size - 1);
	fuzz_load_and_use(paths[data[0] % NVARIANTS]);
	return 0;
}
