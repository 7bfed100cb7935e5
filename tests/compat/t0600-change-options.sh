#!/usr/bin/env bash
# Change options beyond the shared vectors, run by real Liquibase 4.28 and by migrator on fresh
# databases; compared: databasechangelog rows (checksums, descriptions), `update-sql` output
# (norm_sql), the resulting schema (dump_schema) and table data.
#
#   master.xml   includes options.xml (type translation, defaultValue*, value* in inserts),
#                objects.xml (reserved-word / mixed-case / spaced names, alterSequence,
#                renameSequence, renameView, set*Remarks, mergeColumns, addLookupTable,
#                addAutoIncrement, output, empty), sql.xml (sql / sqlFile: splitStatements,
#                stripComments, endDelimiter, encoding, dbms), proc.xml (createProcedure inline,
#                path, dbms; dropProcedure), opts.yaml and opts.json (the same kinds of
#                changes in YAML and JSON)
#   stop.xml, stop.yaml   <stop>: both tools fail, same rows
#   replace.xml  createProcedure replaceIfExists (refused on PostgreSQL)
#   ordered.xml  createSequence ordered (refused on PostgreSQL)
#   xsd.xml      mergeColumns without joinString (the XSD requires it)
#   known.xml    dollar-quoted bodies with the 4.28 splitter, createProcedure path + encoding
# shellcheck source=tests/lib/test-lib.sh
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

work=$(mktemp -d)
at_exit "cd /; rm -rf '$work'; drop_db c0600lb; drop_db c0600mg; drop_db c0600lbs; drop_db c0600mgs"
cd "$work" || exit 1
mkdir sql

xml_head() {
    cat <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
XML
}

# --- helpers --------------------------------------------------------------------------------

rows() { dump_rows "$1" 2>/dev/null; }
status() { [ "$1" = 0 ] && echo ok || echo error; }

# update CHANGELOG: Liquibase `update` on a fresh c0600lb, migrator on a fresh c0600mg;
# sets LB_RC LB_OUT LB_ERR and MG_RC MG_OUT MG_ERR
update() {
    new_db c0600lb >/dev/null
    new_db c0600mg >/dev/null
    run lb c0600lb --changelog-file="$1" update
    LB_RC=$RC LB_OUT=$OUT LB_ERR=$ERR
    run "$MIGRATOR" update --changelog-file="$1" --url="$(pg_url c0600mg)"
    MG_RC=$RC MG_OUT=$OUT MG_ERR=$ERR
}

# update_sql CHANGELOG: `update-sql` of both tools on fresh databases, normalised into
# $work/lb.sql.n and $work/mg.sql.n
update_sql() {
    new_db c0600lbs >/dev/null
    new_db c0600mgs >/dev/null
    rm -f lb.sql mg.sql
    lb c0600lbs --changelog-file="$1" update-sql --output-file="$work/lb.sql" >/dev/null 2>&1
    "$MIGRATOR" update-sql --changelog-file="$1" --url="$(pg_url c0600mgs)" \
        --output-file="$work/mg.sql" >/dev/null 2>&1
    norm_sql lb.sql > lb.sql.n 2>/dev/null
    norm_sql mg.sql > mg.sql.n 2>/dev/null
}

# sql_part FILE PREFIX: the lines of the changesets whose "-- Changeset" line starts with PREFIX
sql_part() {
    awk -v p="-- Changeset $2" '
        /^-- Changeset / { on = (substr($0, 1, length(p)) == p) }
        /^-- Release Database Lock/ { on = 0 }
        on' "$1"
}

# rows_of DB FILE: the header and the rows of one changelog file
rows_of() { rows "$1" | awk -F'\t' -v f="$2" 'NR == 1 || $3 == f'; }

# same_data SQL MSG: the query gives the same result on both databases (and works on Liquibase's)
same_data() {
    local a
    if ! a=$(psql_q c0600lb "$1" 2>&1); then
        fail "$2 (the query fails on Liquibase's database)"
        printf '%s\n' "$a" | head -n 3 | sed 's/^/    | /'
        return
    fi
    assert_eq "$a" "$(psql_q c0600mg "$1" 2>&1)" "$2"
}

# stream_of MSG OUT ERR: where a message was printed
stream_of() {
    local s=""
    case "$2" in *"$1"*) s=stdout ;; esac
    case "$3" in *"$1"*) s="$s${s:++}stderr" ;; esac
    echo "${s:-nowhere}"
}

# --- the changelogs -------------------------------------------------------------------------

{ xml_head; cat <<'XML'; } > options.xml
  <changeSet id="types-1" author="t6">
    <createTable tableName="t_types">
      <column name="c_int" type="int"/>
      <column name="c_bigint" type="bigint"/>
      <column name="c_boolean" type="boolean"/>
      <column name="c_datetime" type="datetime"/>
      <column name="c_tstz" type="timestamp with time zone"/>
      <column name="c_clob" type="clob"/>
      <column name="c_blob" type="blob"/>
      <column name="c_uuid" type="uuid"/>
      <column name="c_currency" type="currency"/>
      <column name="c_jvarchar" type="java.sql.Types.VARCHAR(20)"/>
      <column name="c_jts" type="java.sql.Types.TIMESTAMP"/>
      <column name="c_tinyint" type="tinyint"/>
      <column name="c_double" type="double"/>
      <column name="c_float" type="float"/>
      <column name="c_nvarchar" type="nvarchar(10)"/>
      <column name="c_text" type="text"/>
      <column name="c_smallint" type="smallint"/>
      <column name="c_number" type="number(10,2)"/>
      <column name="c_decimal" type="decimal"/>
      <column name="c_numeric" type="numeric"/>
      <column name="c_number_plain" type="number"/>
    </createTable>
  </changeSet>
  <changeSet id="types-2" author="t6">
    <createTable tableName="t_types2">
      <column name="c_bit" type="bit"/>
      <column name="c_char" type="char"/>
      <column name="c_nchar" type="nchar(3)"/>
      <column name="c_varchar2" type="varchar2(12)"/>
      <column name="c_real" type="real"/>
      <column name="c_integer" type="INTEGER"/>
      <column name="c_int4" type="int4"/>
      <column name="c_int8" type="int8"/>
      <column name="c_ts3" type="timestamp(3)"/>
      <column name="c_datetime6" type="datetime(6)"/>
      <column name="c_timetz" type="time with time zone"/>
      <column name="c_ts_wo" type="timestamp without time zone"/>
      <column name="c_varbinary" type="varbinary(16)"/>
      <column name="c_longvarchar" type="java.sql.Types.LONGVARCHAR"/>
      <column name="c_jint" type="java.sql.Types.INTEGER"/>
      <column name="c_jbool" type="java.sql.Types.BOOLEAN"/>
      <column name="c_jdecimal" type="java.sql.Types.DECIMAL(8,3)"/>
      <column name="c_jdate" type="java.sql.Types.DATE"/>
      <column name="c_jtime" type="java.sql.Types.TIME"/>
      <column name="c_jdouble" type="java.sql.Types.DOUBLE"/>
      <column name="c_xml" type="xml"/>
      <column name="c_json" type="json"/>
      <column name="c_double_precision" type="double precision"/>
      <column name="c_float24" type="float(24)"/>
      <column name="c_nclob" type="nclob"/>
      <column name="c_longtext" type="longtext"/>
      <column name="c_tinyint1" type="tinyint(1)"/>
      <column name="c_int11" type="int(11)"/>
      <column name="c_bigint20" type="bigint(20)"/>
      <column name="c_charvar" type="character varying(12)"/>
      <column name="c_bool" type="bool"/>
      <column name="c_smalldatetime" type="smalldatetime"/>
      <column name="c_money" type="money"/>
      <column name="c_bytea" type="bytea"/>
      <column name="c_image" type="image"/>
      <column name="c_varchar_upper" type="VARCHAR(7)"/>
      <column name="c_interval" type="interval"/>
      <column name="c_serial" type="serial"/>
      <column name="c_smallserial" type="smallserial"/>
      <column name="c_int_array" type="int[]"/>
      <column name="c_text_array" type="text[]"/>
      <column name="c_numeric_upper" type="NUMERIC(6)"/>
      <column name="c_decimal_p" type="decimal(9)"/>
      <column name="c_ntext" type="ntext"/>
      <column name="c_tinytext" type="tinytext"/>
      <column name="c_uuid_upper" type="UUID"/>
      <column name="c_jchar" type="java.sql.Types.CHAR(4)"/>
      <column name="c_jnvarchar" type="java.sql.Types.NVARCHAR(5)"/>
      <column name="c_jbigint" type="java.sql.Types.BIGINT"/>
      <column name="c_jsmallint" type="java.sql.Types.SMALLINT"/>
      <column name="c_jtinyint" type="java.sql.Types.TINYINT"/>
      <column name="c_jreal" type="java.sql.Types.REAL"/>
      <column name="c_jfloat" type="java.sql.Types.FLOAT"/>
      <column name="c_jclob" type="java.sql.Types.CLOB"/>
      <column name="c_jblob" type="java.sql.Types.BLOB"/>
      <column name="c_jnumeric" type="java.sql.Types.NUMERIC(7,1)"/>
    </createTable>
  </changeSet>
  <changeSet id="defaults-1" author="t6">
    <createTable tableName="t_defaults">
      <column name="id" type="int"/>
      <column name="d_now" type="timestamp" defaultValueComputed="CURRENT_TIMESTAMP"/>
      <column name="d_user" type="varchar(64)" defaultValueComputed="current_user"/>
      <column name="d_expr" type="int" defaultValueComputed="(1 + 2)"/>
      <column name="d_date" type="date" defaultValueDate="2024-01-31"/>
      <column name="d_datetime" type="datetime" defaultValueDate="2024-01-31T10:11:12"/>
      <column name="d_datetime_sp" type="timestamp" defaultValueDate="2024-01-31 10:11:12.5"/>
      <column name="d_time" type="time" defaultValueDate="10:11:12"/>
      <column name="d_tstz" type="timestamp with time zone" defaultValueDate="2024-01-31T10:11:12"/>
      <column name="d_true" type="boolean" defaultValueBoolean="true"/>
      <column name="d_false" type="boolean" defaultValueBoolean="false"/>
      <column name="d_bit" type="bool" defaultValueBoolean="true"/>
      <column name="d_num" type="int" defaultValueNumeric="7"/>
      <column name="d_num2" type="number(10,2)" defaultValueNumeric="3.14"/>
      <column name="d_neg" type="decimal(5,1)" defaultValueNumeric="-2.5"/>
      <column name="d_bigint_str" type="bigint" defaultValue="12"/>
      <column name="d_bool_str" type="boolean" defaultValue="true"/>
      <column name="d_str" type="varchar(20)" defaultValue="it's"/>
      <column name="d_curr" type="currency" defaultValueNumeric="9.99"/>
      <column name="d_double" type="double" defaultValueNumeric="1.5"/>
      <column name="d_uuid" type="uuid" defaultValueComputed="gen_random_uuid()"/>
    </createTable>
  </changeSet>
  <changeSet id="defaults-2" author="t6">
    <addColumn tableName="t_defaults">
      <column name="a_date" type="date" defaultValueDate="2000-02-29"/>
      <column name="a_bool" type="boolean" defaultValueBoolean="false">
        <constraints nullable="false"/>
      </column>
      <column name="a_num" type="numeric(6,3)" defaultValueNumeric="1.250"/>
      <column name="a_comp" type="timestamp" defaultValueComputed="now()"/>
    </addColumn>
    <addDefaultValue tableName="t_defaults" columnName="id" columnDataType="int" defaultValueNumeric="0"/>
    <addDefaultValue tableName="t_defaults" columnName="d_time" columnDataType="time" defaultValueDate="23:59:58"/>
    <addDefaultValue tableName="t_defaults" columnName="d_bit" columnDataType="boolean" defaultValueBoolean="false"/>
  </changeSet>
  <changeSet id="values-1" author="t6">
    <insert tableName="t_defaults">
      <column name="id" valueNumeric="1"/>
      <column name="d_now" valueDate="2023-12-24T18:30:00"/>
      <column name="d_date" valueDate="2023-12-24"/>
      <column name="d_datetime" valueDate="2023-12-24 18:30:01"/>
      <column name="d_datetime_sp" valueDate="2023-12-24T18:30:01.123"/>
      <column name="d_time" valueDate="18:30:02"/>
      <column name="d_tstz" valueDate="2023-12-24T18:30:03"/>
      <column name="d_true" valueBoolean="false"/>
      <column name="d_false" valueBoolean="1"/>
      <column name="d_bit" valueBoolean="true"/>
      <column name="d_num" valueNumeric="-17"/>
      <column name="d_num2" valueNumeric="12345678.91"/>
      <column name="d_neg" valueNumeric="0.5"/>
      <column name="d_str" value="O'Brien"/>
      <column name="d_double" valueNumeric="2.5E3"/>
      <column name="a_comp" valueComputed="now() - interval '1 day'"/>
    </insert>
    <insert tableName="t_defaults">
      <column name="id" valueNumeric="2"/>
      <column name="d_user" valueComputed="upper('x' || 'y')"/>
      <column name="d_num" valueComputed="(SELECT 40 + 2)"/>
      <column name="d_date" valueDate="now()"/>
      <column name="d_str" value=""/>
      <column name="a_bool" valueBoolean="true"/>
    </insert>
    <insert tableName="t_defaults">
      <column name="id" value="3"/>
      <column name="d_true" value="true"/>
      <column name="d_num" value="5"/>
      <column name="d_date" value="2022-02-02"/>
    </insert>
  </changeSet>
  <changeSet id="values-lenient" author="t6">
    <!-- "+5" is no number to NumberFormat (a computed value); dates roll over -->
    <insert tableName="t_defaults">
      <column name="id" valueNumeric="+4"/>
      <column name="d_now" valueDate="2024-02-30T25:61:00"/>
      <column name="d_date" valueDate="2023-13-01"/>
      <column name="d_datetime_sp" valueDate="2024-02-03T10:00:00.120"/>
    </insert>
  </changeSet>
  <changeSet id="values-2" author="t6">
    <createSequence sequenceName="Mixed Seq" startValue="3"/>
    <createTable tableName="pv">
      <column name="id" type="int"/>
      <column name="s" type="varchar(30)" defaultValueComputed="'abc'::text"/>
      <column name="n_str" type="varchar(10)" defaultValueNumeric="12"/>
      <column name="d_cur" type="date" defaultValueDate="CURRENT_DATE"/>
      <column name="ts_tz" type="timestamp with time zone" defaultValueDate="2024-01-31T10:11:12.123456"/>
      <column name="num_expr" type="int" defaultValueNumeric="abs(-3)"/>
      <column name="bool_str" type="boolean" defaultValue="false"/>
      <column name="bool_one" type="boolean" defaultValueBoolean="1"/>
      <column name="null_str" type="varchar(5)" defaultValue="NULL"/>
      <column name="ts_nano" type="timestamp" defaultValueDate="2024-01-31 10:11:12.123456789"/>
      <column name="big" type="bigint" defaultValueNumeric="9223372036854775807"/>
      <column name="seqd" type="bigint" defaultValueSequenceNext="Mixed Seq"/>
    </createTable>
    <insert tableName="pv">
      <column name="id" valueNumeric="abs(-1)"/>
      <column name="s" valueBoolean="true"/>
      <column name="n_str" valueNumeric="1.50"/>
      <column name="d_cur" valueDate="2024-02-29T00:00:00"/>
      <column name="ts_tz" valueDate="2024-01-31T10:11:12.123456"/>
      <column name="null_str" value="NULL"/>
      <column name="ts_nano" valueDate="2024-01-31T10:11:12.5"/>
    </insert>
    <insert tableName="pv">
      <column name="id" value="2"/>
      <column name="bool_str" value="1"/>
      <column name="null_str" valueComputed="NULL"/>
    </insert>
    <update tableName="pv">
      <column name="d_cur" valueDate="2000-01-01"/>
      <column name="bool_one" valueBoolean="false"/>
      <column name="n_str" valueNumeric="7"/>
      <column name="ts_nano" valueDate="2001-02-03 04:05:06"/>
      <where>id = :value</where>
      <whereParams><param valueNumeric="2"/></whereParams>
    </update>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > objects.xml
  <changeSet id="reserved-1" author="t6">
    <createTable tableName="user">
      <column name="id" type="int"><constraints primaryKey="true"/></column>
      <column name="select" type="varchar(10)"/>
      <column name="order" type="int"/>
      <column name="from" type="int"/>
      <column name="MixedCol" type="int"/>
      <column name="col with space" type="varchar(5)"/>
      <column name="user" type="varchar(5)"/>
      <column name="group" type="int"/>
      <column name="name" type="varchar(10)"/>
      <column name="comment" type="varchar(10)"/>
      <column name="type" type="varchar(10)"/>
      <column name="value" type="int"/>
      <column name="key" type="int"/>
      <column name="primary" type="int"/>
    </createTable>
    <createTable tableName="order">
      <column name="id" type="int"/>
      <column name="user_id" type="int"/>
      <column name="table" type="varchar(10)"/>
    </createTable>
    <createTable tableName="select"><column name="where" type="int"/></createTable>
    <createTable tableName="MixedCase"><column name="Id" type="int"/><column name="lower" type="int"/></createTable>
    <createTable tableName="my table"><column name="my col" type="int"/></createTable>
  </changeSet>
  <changeSet id="reserved-2" author="t6">
    <addPrimaryKey tableName="order" columnNames="id"/>
    <addForeignKeyConstraint baseTableName="order" baseColumnNames="user_id" constraintName="fk_order_user"
        referencedTableName="user" referencedColumnNames="id"/>
    <createIndex tableName="user" indexName="idx_user_select"><column name="select"/><column name="MixedCol"/></createIndex>
    <addUniqueConstraint tableName="MixedCase" columnNames="Id, lower" constraintName="uq_MixedCase"/>
    <addNotNullConstraint tableName="select" columnName="where" columnDataType="int" defaultNullValue="0"/>
    <addColumn tableName="my table"><column name="Other Col" type="varchar(3)" defaultValue="x"/></addColumn>
    <renameColumn tableName="user" oldColumnName="group" newColumnName="Group"/>
    <insert tableName="user">
      <column name="id" valueNumeric="1"/>
      <column name="select" value="sel"/>
      <column name="order" valueNumeric="2"/>
      <column name="MixedCol" valueNumeric="3"/>
      <column name="col with space" value="sp"/>
      <column name="user" value="u"/>
    </insert>
    <insert tableName="order">
      <column name="id" valueNumeric="10"/>
      <column name="user_id" valueNumeric="1"/>
      <column name="table" value="t"/>
    </insert>
    <update tableName="user"><column name="from" valueNumeric="5"/><where>"select" = 'sel'</where></update>
    <insert tableName="MixedCase"><column name="Id" valueNumeric="1"/><column name="lower" valueNumeric="2"/></insert>
    <insert tableName="my table"><column name="my col" valueNumeric="1"/></insert>
  </changeSet>
  <changeSet id="reserved-3" author="t6">
    <setTableRemarks tableName="user" remarks="Users' table"/>
    <setColumnRemarks tableName="user" columnName="select" remarks="a reserved column"/>
    <setColumnRemarks tableName="MixedCase" columnName="Id" remarks="mixed" columnDataType="int"/>
    <setTableRemarks tableName="my table" remarks=""/>
    <createView viewName="Order View">SELECT * FROM "order"</createView>
    <renameView oldViewName="Order View" newViewName="order_view"/>
    <createSequence sequenceName="Seq Mixed"/>
    <renameSequence oldSequenceName="Seq Mixed" newSequenceName="table"/>
  </changeSet>
  <changeSet id="seq-1" author="t6">
    <createSequence sequenceName="s_one" startValue="5"/>
    <alterSequence sequenceName="s_one" minValue="2" maxValue="1000" cacheSize="10" cycle="true"/>
    <alterSequence sequenceName="s_one" incrementBy="3"/>
    <alterSequence schemaName="public" sequenceName="s_one" dataType="int"/>
    <alterSequence sequenceName="s_one" cycle="false" maxValue="2000"/>
    <renameSequence schemaName="public" oldSequenceName="s_one" newSequenceName="s_two"/>
  </changeSet>
  <changeSet id="view-1" author="t6">
    <createTable tableName="vt"><column name="id" type="int"/></createTable>
    <createView viewName="v_a" schemaName="public">SELECT id FROM vt</createView>
    <renameView schemaName="public" oldViewName="v_a" newViewName="v_b"/>
  </changeSet>
  <changeSet id="remarks-1" author="t6">
    <createTable tableName="rt" remarks="created with remarks">
      <column name="id" type="int" remarks="id column's remark"/>
      <column name="v" type="varchar(5)"/>
    </createTable>
    <setTableRemarks tableName="rt" schemaName="public" remarks="new remark: ü"/>
    <setColumnRemarks tableName="rt" columnName="v" remarks="multi
line"/>
    <setColumnRemarks tableName="rt" columnName="id" remarks=""/>
  </changeSet>
  <changeSet id="merge-1" author="t6">
    <createTable tableName="person">
      <column name="id" type="int"/>
      <column name="first_name" type="varchar(20)"/>
      <column name="last_name" type="varchar(20)"/>
      <column name="city" type="varchar(20)"/>
      <column name="zip" type="varchar(5)"/>
    </createTable>
    <insert tableName="person"><column name="id" valueNumeric="1"/><column name="first_name" value="Grace"/><column name="last_name" value="Hopper"/><column name="city" value="NYC"/><column name="zip" value="10001"/></insert>
    <insert tableName="person"><column name="id" valueNumeric="2"/><column name="first_name" value="Alan"/><column name="city" value="London"/></insert>
  </changeSet>
  <changeSet id="merge-2" author="t6">
    <mergeColumns tableName="person" column1Name="first_name" column2Name="last_name" joinString=", " finalColumnName="full_name" finalColumnType="varchar(50)"/>
    <mergeColumns tableName="person" schemaName="public" column1Name="city" joinString="" column2Name="zip" finalColumnName="place" finalColumnType="text"/>
  </changeSet>
  <changeSet id="lookup-1" author="t6">
    <createTable tableName="car"><column name="id" type="int"/><column name="make" type="varchar(20)"/></createTable>
    <insert tableName="car"><column name="id" valueNumeric="1"/><column name="make" value="Volvo"/></insert>
    <insert tableName="car"><column name="id" valueNumeric="2"/><column name="make" value="Saab"/></insert>
    <insert tableName="car"><column name="id" valueNumeric="3"/><column name="make" value="Volvo"/></insert>
    <insert tableName="car"><column name="id" valueNumeric="4"/></insert>
  </changeSet>
  <changeSet id="lookup-2" author="t6">
    <addLookupTable existingTableName="car" existingColumnName="make" existingTableSchemaName="public"
        newTableName="car_make" newColumnName="name"/>
  </changeSet>
  <changeSet id="autoinc-1" author="t6">
    <createTable tableName="ai">
      <column name="a" type="int"><constraints nullable="false"/></column>
      <column name="b" type="bigint"><constraints nullable="false"/></column>
      <column name="c" type="smallint"/>
      <column name="v" type="varchar(5)"/>
    </createTable>
    <createTable tableName="ai2">
      <column name="id" type="bigint" autoIncrement="true" startWith="100" incrementBy="5"/>
      <column name="id2" type="int" autoIncrement="true" generationType="ALWAYS"/>
      <column name="v" type="varchar(5)"/>
    </createTable>
  </changeSet>
  <changeSet id="autoinc-2" author="t6">
    <addAutoIncrement tableName="ai" columnName="a" columnDataType="int" startWith="7"/>
    <addAutoIncrement tableName="ai" columnName="b" columnDataType="bigint" incrementBy="2" generationType="ALWAYS"/>
    <addAutoIncrement tableName="ai" schemaName="public" columnName="c" columnDataType="smallint" defaultOnNull="true"/>
    <insert tableName="ai"><column name="v" value="one"/></insert>
    <insert tableName="ai"><column name="v" value="two"/></insert>
    <insert tableName="ai2"><column name="v" value="x"/></insert>
  </changeSet>
  <changeSet id="names-1" author="t6">
    <createTable tableName="Ai Mixed">
      <column name="MyId" type="int"/>
      <column name="order" type="varchar(10)"/>
      <column name="select" type="varchar(10)"/>
      <column name="Make" type="varchar(10)"/>
    </createTable>
    <insert tableName="Ai Mixed"><column name="MyId" valueNumeric="1"/><column name="order" value="o"/><column name="select" value="s"/><column name="Make" value="M"/></insert>
    <addAutoIncrement tableName="Ai Mixed" columnName="MyId" columnDataType="int"/>
    <mergeColumns tableName="Ai Mixed" column1Name="order" joinString="-" column2Name="select" finalColumnName="User" finalColumnType="varchar(30)"/>
    <addLookupTable existingTableName="Ai Mixed" existingColumnName="Make" newTableName="Make Lookup" newColumnName="Name"/>
    <createProcedure procedureName="Proc Mixed" schemaName="public">CREATE PROCEDURE "Proc Mixed"() LANGUAGE sql AS 'SELECT 1'</createProcedure>
    <createProcedure procedureName="p_plain" schemaName="public">CREATE PROCEDURE p_plain() LANGUAGE sql AS 'SELECT 1'</createProcedure>
    <createView viewName="vv">SELECT 1 AS x</createView>
    <renameView oldViewName="vv" newViewName="View Mixed"/>
    <setColumnRemarks tableName="View Mixed" columnName="x" remarks="view col" columnParentType="VIEW"/>
    <createSequence sequenceName="sq"/>
    <alterSequence sequenceName="sq" minValue="-5" maxValue="9223372036854775807" incrementBy="-1"/>
    <renameSequence oldSequenceName="sq" newSequenceName="Seq Mixed"/>
  </changeSet>
  <changeSet id="names-2" author="t6">
    <dropProcedure procedureName="Proc Mixed"/>
    <dropProcedure procedureName="p_plain" schemaName="public"/>
    <insert tableName="Ai Mixed"><column name="Make" value="M"/></insert>
  </changeSet>
  <changeSet id="output-1" author="t6">
    <output target="STDOUT">out to stdout</output>
    <output target="STDERR">out to stderr</output>
    <output target="WARN">a warning</output>
    <output target="INFO">some info</output>
    <output>default target, 'quoted' text</output>
    <empty/>
  </changeSet>
  <changeSet id="empty-1" author="t6">
    <empty/>
  </changeSet>
  <changeSet id="empty-2" author="t6">
    <comment>only a comment</comment>
    <empty/>
    <empty/>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > sql.xml
  <changeSet id="sql-1" author="t6">
    <sql>CREATE TABLE log (id int, msg varchar(100))</sql>
    <sql splitStatements="false">INSERT INTO log VALUES (1, 'a;b'); INSERT INTO log VALUES (2, 'c')</sql>
    <sql splitStatements="true">INSERT INTO log VALUES (3, 'd;e');INSERT INTO log VALUES (4, 'f')</sql>
  </changeSet>
  <changeSet id="sql-2" author="t6">
    <sql stripComments="true">
      -- line comment
      INSERT INTO log VALUES (5, '-- not a comment');
      /* block
         comment */
      INSERT INTO log VALUES (6, '/* kept */');
    </sql>
    <sql stripComments="false">
      -- kept line comment
      INSERT INTO log VALUES (7, 'x'); /* trailing block */
      INSERT INTO log VALUES (8, 'y') -- trailing
    </sql>
  </changeSet>
  <changeSet id="sql-3" author="t6">
    <sql endDelimiter="/">
CREATE OR REPLACE FUNCTION f_one() RETURNS int AS $$
BEGIN
  RETURN 1;
END;
$$ LANGUAGE plpgsql
/
CREATE OR REPLACE FUNCTION f_two() RETURNS int AS $$
BEGIN
  RETURN 2;
END;
$$ LANGUAGE plpgsql
/
    </sql>
  </changeSet>
  <changeSet id="sql-4" author="t6">
    <sql endDelimiter="\n/\s*\n|\n/\s*$">
CREATE OR REPLACE FUNCTION f_three() RETURNS int AS $$ BEGIN RETURN 3; END; $$ LANGUAGE plpgsql
/
INSERT INTO log VALUES (9, 'a/b')
/
    </sql>
  </changeSet>
  <changeSet id="sql-5" author="t6">
    <sql splitStatements="false">
CREATE OR REPLACE FUNCTION f_four() RETURNS int AS $$
BEGIN
  INSERT INTO log VALUES (40, 'in body');
  RETURN 4;
END;
$$ LANGUAGE plpgsql;
    </sql>
  </changeSet>
  <changeSet id="sql-6" author="t6">
    <sql endDelimiter="GO">INSERT INTO log VALUES (10, 'go1')
GO
INSERT INTO log VALUES (11, 'go2')
GO</sql>
    <sql endDelimiter=";;">INSERT INTO log VALUES (12, 'semi;');; INSERT INTO log VALUES (13, 'x')</sql>
  </changeSet>
  <changeSet id="sql-dbms" author="t6">
    <sql dbms="postgresql">INSERT INTO log VALUES (20, 'pg')</sql>
    <sql dbms="oracle,mysql">INSERT INTO log VALUES (21, 'ora')</sql>
    <sql dbms="!postgresql">INSERT INTO log VALUES (22, 'not pg')</sql>
    <sql dbms="h2, postgresql">INSERT INTO log VALUES (23, 'h2 or pg')</sql>
    <sql dbms="all">INSERT INTO log VALUES (24, 'all')</sql>
    <sql dbms="none">INSERT INTO log VALUES (25, 'none')</sql>
  </changeSet>
  <changeSet id="sqlfile-1" author="t6">
    <sqlFile path="sql/latin1.sql" relativeToChangelogFile="true" encoding="ISO-8859-1"/>
    <sqlFile path="sql/utf8.sql" relativeToChangelogFile="true" encoding="UTF-8"/>
  </changeSet>
  <changeSet id="sqlfile-2" author="t6">
    <sqlFile path="sql/funcs.sql" relativeToChangelogFile="true" endDelimiter="\n/" splitStatements="true" stripComments="true"/>
    <sqlFile path="sql/nosplit.sql" relativeToChangelogFile="true" splitStatements="false"/>
    <sqlFile path="sql/comments.sql" relativeToChangelogFile="true" stripComments="false"/>
  </changeSet>
  <changeSet id="sqlfile-dbms" author="t6">
    <sqlFile path="sql/pg.sql" relativeToChangelogFile="true" dbms="postgresql"/>
    <sqlFile path="sql/missing-oracle.sql" relativeToChangelogFile="true" dbms="oracle"/>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > proc.xml
  <changeSet id="proc-1" author="t6">
    <createTable tableName="plog"><column name="n" type="int"/><column name="t" type="varchar(30)"/></createTable>
    <createProcedure procedureName="p_inline">
CREATE PROCEDURE p_inline(x int)
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO plog VALUES (x, 'inline');
END;
$$
    </createProcedure>
  </changeSet>
  <changeSet id="proc-2" author="t6">
    <createProcedure procedureName="p_file" path="sql/p_file.sql" relativeToChangelogFile="true"/>
  </changeSet>
  <changeSet id="proc-3" author="t6">
    <createProcedure procedureName="p_inline">
CREATE OR REPLACE PROCEDURE p_inline(x int)
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO plog VALUES (x * 10, 'replaced');
END;
$$;
    </createProcedure>
    <createProcedure procedureName="p_never" dbms="oracle">THIS IS NOT SQL</createProcedure>
    <createProcedure schemaName="public" procedureName="p_dropme" dbms="postgresql">CREATE PROCEDURE public.p_dropme() LANGUAGE sql AS 'SELECT 1'</createProcedure>
    <createProcedure procedureName="f_func">CREATE FUNCTION f_func(a int) RETURNS int LANGUAGE sql AS 'SELECT a + 1'</createProcedure>
  </changeSet>
  <changeSet id="proc-4" author="t6">
    <sql>CALL p_inline(1)</sql>
    <sql>CALL p_file(2)</sql>
    <dropProcedure procedureName="p_dropme" schemaName="public"/>
  </changeSet>
</databaseChangeLog>
XML

cat > opts.yaml <<'YAML'
databaseChangeLog:
  - changeSet:
      id: y-types
      author: t6
      changes:
        - createTable:
            tableName: Y Types
            columns:
              - column: {name: Id, type: int, autoIncrement: true, constraints: {primaryKey: true, primaryKeyName: pk_y_types}}
              - column: {name: c_bool, type: boolean, defaultValueBoolean: true}
              - column: {name: c_dt, type: datetime, defaultValueComputed: CURRENT_TIMESTAMP}
              - column: {name: c_date, type: date, defaultValueDate: "2021-06-30"}
              - column: {name: c_time, type: time, defaultValueDate: "12:00:00"}
              - column: {name: c_num, type: "number(10,2)", defaultValueNumeric: 2.50}
              - column: {name: c_int_num, type: int, defaultValueNumeric: 42}
              - column: {name: c_clob, type: clob}
              - column: {name: c_uuid, type: uuid}
              - column: {name: c_cur, type: currency}
              - column: {name: c_jv, type: "java.sql.Types.VARCHAR(20)", defaultValue: "y'all"}
              - column: {name: c_jts, type: java.sql.Types.TIMESTAMP}
              - column: {name: c_tiny, type: tinyint, defaultValueNumeric: -1}
              - column: {name: c_dbl, type: double}
              - column: {name: c_flt, type: float}
              - column: {name: c_nv, type: nvarchar(10)}
              - column: {name: order, type: int}
              - column: {name: user, type: varchar(10)}
              - column: {name: select, type: text}
  - changeSet:
      id: y-insert
      author: t6
      changes:
        - insert:
            tableName: Y Types
            columns:
              - column: {name: c_bool, valueBoolean: false}
              - column: {name: c_dt, valueDate: "2020-01-02T03:04:05"}
              - column: {name: c_date, valueDate: "2020-01-02"}
              - column: {name: c_time, valueDate: "03:04:05"}
              - column: {name: c_num, valueNumeric: 12.5}
              - column: {name: c_int_num, valueNumeric: 7}
              - column: {name: c_uuid, valueComputed: "'6f1c2a36-6b0e-4d43-9d7e-0d5c9a4b3c2d'::uuid"}
              - column: {name: order, valueNumeric: 3}
              - column: {name: user, value: me}
              - column: {name: select, value: "x; y"}
        - insert:
            tableName: Y Types
            columns:
              - column: {name: c_bool, valueBoolean: true}
              - column: {name: c_dt, valueComputed: "now()"}
              - column: {name: c_date, valueDate: "2020-12-31"}
              - column: {name: c_cur, valueNumeric: 19.99}
  - changeSet:
      id: y-merge
      author: t6
      changes:
        - createTable:
            tableName: ypeople
            columns:
              - column: {name: a, type: varchar(10)}
              - column: {name: b, type: varchar(10)}
        - insert: {tableName: ypeople, columns: [{column: {name: a, value: x}}, {column: {name: b, value: y}}]}
        - mergeColumns:
            tableName: ypeople
            column1Name: a
            column2Name: b
            finalColumnName: ab
            finalColumnType: varchar(30)
  - changeSet:
      id: y-objects
      author: t6
      changes:
        - createSequence: {sequenceName: yseq, startValue: 10}
        - alterSequence: {sequenceName: yseq, incrementBy: 5, maxValue: 999, minValue: 1, cacheSize: 3}
        - renameSequence: {oldSequenceName: yseq, newSequenceName: Y Seq}
        - createView: {viewName: yv, selectQuery: "SELECT a FROM (SELECT 1 AS a) s"}
        - renameView: {oldViewName: yv, newViewName: group}
        - setTableRemarks: {tableName: Y Types, remarks: "yaml table"}
        - setColumnRemarks: {tableName: Y Types, columnName: order, remarks: "order's column"}
        - addAutoIncrement: {tableName: ypeople, columnName: ab, columnDataType: varchar(30)}
  - changeSet:
      id: y-sql
      author: t6
      changes:
        - sql:
            sql: |
              CREATE TABLE ylog (id int, t text);
              -- a comment ; with semicolon
              INSERT INTO ylog VALUES (1, 'one');
            stripComments: true
        - sql:
            endDelimiter: "\\n/"
            sql: |
              CREATE FUNCTION yf() RETURNS int AS $$
              BEGIN
                RETURN 1;
              END;
              $$ LANGUAGE plpgsql
              /
              INSERT INTO ylog VALUES (2, 'two')
              /
        - sql: {dbms: "mysql", sql: "INSERT INTO ylog VALUES (99, 'mysql')"}
        - sql: {dbms: "postgresql", splitStatements: false, sql: "INSERT INTO ylog VALUES (3, 'a;b'); INSERT INTO ylog VALUES (4, 'c')"}
        - sqlFile: {path: sql/cp1252.sql, relativeToChangelogFile: true, encoding: windows-1252}
        - sqlFile: {path: sql/missing-oracle.sql, relativeToChangelogFile: true, dbms: oracle}
        - createProcedure: {path: sql/yproc.sql, relativeToChangelogFile: true, procedureName: yproc}
        - output: {message: "yaml output", target: STDERR}
        - empty: {}
YAML

cat > opts.json <<'JSON'
{
  "databaseChangeLog": [
    {"changeSet": {"id": "j-1", "author": "t6", "changes": [
      {"createTable": {"tableName": "where", "remarks": "json table", "columns": [
        {"column": {"name": "from", "type": "bigint", "autoIncrement": true, "startWith": 50}},
        {"column": {"name": "Where", "type": "java.sql.Types.TIMESTAMP", "defaultValueDate": "2019-09-09T09:09:09"}},
        {"column": {"name": "flag", "type": "boolean", "defaultValueBoolean": false}},
        {"column": {"name": "amount", "type": "decimal(8,2)", "defaultValueNumeric": 0.5}},
        {"column": {"name": "doc", "type": "blob"}},
        {"column": {"name": "big text", "type": "text"}}
      ]}},
      {"insert": {"tableName": "where", "columns": [
        {"column": {"name": "Where", "valueDate": "2018-08-08T08:08:08.5"}},
        {"column": {"name": "flag", "valueBoolean": true}},
        {"column": {"name": "amount", "valueNumeric": 100}},
        {"column": {"name": "doc", "valueComputed": "NULL"}},
        {"column": {"name": "big text", "value": "it's \"quoted\""}}
      ]}}
    ]}},
    {"changeSet": {"id": "j-2", "author": "t6", "changes": [
      {"addLookupTable": {"existingTableName": "where", "existingColumnName": "big text",
        "newTableName": "Lookup", "newColumnName": "value", "newColumnDataType": "text",
        "constraintName": "fk_where_lookup"}},
      {"setColumnRemarks": {"tableName": "Lookup", "columnName": "value", "remarks": "json remark"}},
      {"sql": {"sql": "INSERT INTO \"Lookup\" VALUES ('extra');\nINSERT INTO \"Lookup\" VALUES ('more')", "splitStatements": true}},
      {"output": {"message": "json says hi", "target": "STDOUT"}},
      {"empty": {}}
    ]}},
    {"changeSet": {"id": "j-3", "author": "t6", "changes": [
      {"createSequence": {"sequenceName": "jseq"}},
      {"alterSequence": {"sequenceName": "jseq", "incrementBy": 7, "cycle": true, "maxValue": 70}},
      {"renameSequence": {"oldSequenceName": "jseq", "newSequenceName": "JSeq"}},
      {"createProcedure": {"procedureName": "jp", "procedureText": "CREATE PROCEDURE jp() LANGUAGE sql AS $$ SELECT 1 $$"}},
      {"dropProcedure": {"procedureName": "jp"}}
    ]}}
  ]
}
JSON

cat > sql/funcs.sql <<'SQL'
-- functions separated by slash lines
CREATE OR REPLACE FUNCTION f_file1() RETURNS int AS $$
BEGIN
  RETURN 11;
END;
$$ LANGUAGE plpgsql
/
CREATE OR REPLACE FUNCTION f_file2() RETURNS text AS $$
  SELECT 'x;y'::text;
$$ LANGUAGE sql
/
SQL

cat > sql/nosplit.sql <<'SQL'
INSERT INTO log VALUES (30, 'ns1');
INSERT INTO log VALUES (31, 'ns2');
SQL

cat > sql/comments.sql <<'SQL'
/* header comment */
INSERT INTO log VALUES (32, 'c1'); -- trailing comment
-- standalone comment
INSERT INTO log VALUES (33, 'c2');
SQL

cat > sql/pg.sql <<'SQL'
INSERT INTO log VALUES (34, 'pg file');
SQL

cat > sql/p_file.sql <<'SQL'
CREATE OR REPLACE PROCEDURE p_file(x int)
LANGUAGE plpgsql
AS $$
BEGIN
  -- a comment in the body
  INSERT INTO plog VALUES (x, 'from file');
END;
$$;
SQL

cat > sql/yproc.sql <<'SQL'
CREATE PROCEDURE yproc() LANGUAGE sql AS $$ INSERT INTO ylog VALUES (6, '${missing.prop}') $$;
SQL

cat > sql/utf8.sql <<'SQL'
INSERT INTO enc VALUES (2, 'café ñ €');
SQL

cat > sql/k_strip.sql <<'SQL'
CREATE FUNCTION k_strip() RETURNS int AS $$
BEGIN
  RETURN 1; -- comment inside the body
END;
$$ LANGUAGE plpgsql
/
SQL
# files in single-byte charsets (the changelogs name their encoding)
printf -- "-- latin1 file\nCREATE TABLE enc (id int, txt varchar(30));\nINSERT INTO enc VALUES (1, 'caf\xe9 na\xefve \xa3');\n" > sql/latin1.sql
printf "INSERT INTO ylog VALUES (5, '\x80 \x93quoted\x94 \xe9');\n" > sql/cp1252.sql
printf "CREATE PROCEDURE k_latin1() LANGUAGE sql AS \$\$ INSERT INTO klog VALUES (1, 'd\xe9j\xe0 vu') \$\$\n" > sql/k_latin1.sql
# named by changes for another dbms only: never run, but must exist
echo "THIS IS NOT SQL;" > sql/missing-oracle.sql

{ xml_head; cat <<'XML'; } > master.xml
  <include file="options.xml" relativeToChangelogFile="true"/>
  <include file="objects.xml" relativeToChangelogFile="true"/>
  <include file="sql.xml" relativeToChangelogFile="true"/>
  <include file="proc.xml" relativeToChangelogFile="true"/>
  <include file="opts.yaml" relativeToChangelogFile="true"/>
  <include file="opts.json" relativeToChangelogFile="true"/>
</databaseChangeLog>
XML
{ xml_head; cat <<'XML'; } > stop.xml
  <changeSet id="x-1" author="t6">
    <createTable tableName="t_before"><column name="id" type="int"/></createTable>
  </changeSet>
  <changeSet id="x-2" author="t6" runAlways="true">
    <output target="STDOUT">about to stop</output>
    <stop>Stopped with a 'message'</stop>
  </changeSet>
  <changeSet id="x-3" author="t6">
    <createTable tableName="t_after"><column name="id" type="int"/></createTable>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > known.xml
  <changeSet id="k-table" author="t6">
    <createTable tableName="klog"><column name="id" type="int"/><column name="t" type="varchar(20)"/></createTable>
  </changeSet>
  <changeSet id="k-proc-latin1" author="t6">
    <createProcedure path="sql/k_latin1.sql" relativeToChangelogFile="true" encoding="ISO-8859-1"/>
  </changeSet>
  <changeSet id="k-strip-dollar" author="t6">
    <sqlFile path="sql/k_strip.sql" relativeToChangelogFile="true" endDelimiter="\n/" stripComments="true"/>
  </changeSet>
  <changeSet id="k-dollar-split" author="t6">
    <sql>
CREATE FUNCTION k_split() RETURNS int AS $$
BEGIN
  RETURN 1;
END;
$$ LANGUAGE plpgsql;
    </sql>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > replace.xml
  <changeSet id="r-1" author="t6">
    <createTable tableName="r_first"><column name="id" type="int"/></createTable>
  </changeSet>
  <changeSet id="r-2" author="t6">
    <createProcedure procedureName="r_proc" replaceIfExists="false">CREATE PROCEDURE r_proc() LANGUAGE sql AS 'SELECT 1'</createProcedure>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > ordered.xml
  <changeSet id="o-1" author="t6">
    <createTable tableName="o_first"><column name="id" type="int"/></createTable>
  </changeSet>
  <changeSet id="o-2" author="t6">
    <createSequence sequenceName="o_seq" ordered="false"/>
  </changeSet>
</databaseChangeLog>
XML

{ xml_head; cat <<'XML'; } > xsd.xml
  <changeSet id="m-1" author="t6">
    <createTable tableName="m"><column name="a" type="varchar(5)"/><column name="b" type="varchar(5)"/></createTable>
  </changeSet>
  <changeSet id="m-2" author="t6">
    <mergeColumns tableName="m" column1Name="a" column2Name="b" finalColumnName="ab" finalColumnType="varchar(20)"/>
  </changeSet>
</databaseChangeLog>
XML

cat > stop.yaml <<'YAML'
databaseChangeLog:
  - changeSet:
      id: s-1
      author: t6
      changes:
        - createTable: {tableName: before_stop, columns: [{column: {name: id, type: int}}]}
  - changeSet:
      id: s-2
      author: t6
      changes:
        - insert: {tableName: before_stop, columns: [{column: {name: id, valueNumeric: 1}}]}
        - stop: {}
        - insert: {tableName: before_stop, columns: [{column: {name: id, valueNumeric: 2}}]}
  - changeSet:
      id: s-3
      author: t6
      changes:
        - createTable: {tableName: after_stop, columns: [{column: {name: id, type: int}}]}
YAML

# --- master.xml: everything that both tools should do alike ------------------------------------

update master.xml
assert_eq 0 "$LB_RC" "Liquibase runs master.xml"
[ "$LB_RC" = 0 ] || printf '%s\n' "$LB_OUT" "$LB_ERR" | grep -i 'error\|reason' | head -5 | sed 's/^/    | /'
assert_eq 0 "$MG_RC" "migrator runs master.xml"
[ "$MG_RC" = 0 ] || printf '%s\n' "$MG_ERR" | head -5 | sed 's/^/    | /'
for f in options.xml objects.xml sql.xml proc.xml opts.yaml opts.json; do
    assert_eq "$(rows_of c0600lb $f)" "$(rows_of c0600mg $f)" "rows of $f equal Liquibase's (checksums, descriptions)"
done
assert_eq "$(rows c0600lb | wc -l)" "$(rows c0600mg | wc -l)" "as many rows as Liquibase"
assert_eq "$(dump_schema c0600lb)" "$(dump_schema c0600mg)" "the schema equals Liquibase's (types, defaults, quoting, sequences, remarks, routines)"

# options.xml
same_data "SELECT id, d_user, d_expr, CASE WHEN id = 2 THEN (d_date = current_date)::text ELSE d_date::text END,
                  d_datetime, d_datetime_sp, d_time, d_tstz, d_true, d_false, d_bit, d_num, d_num2, d_neg,
                  d_bigint_str, d_bool_str, d_str, d_curr, d_double, a_date, a_bool, a_num,
                  CASE WHEN id = 1 THEN d_now::text END
           FROM t_defaults ORDER BY id" \
    "defaultValue*/value* data of t_defaults (valueDate date/datetime/time forms, valueBoolean, valueNumeric, valueComputed)"
same_data "SELECT id, s, n_str, CASE WHEN id = 2 THEN (d_cur = current_date)::text ELSE d_cur::text END,
                  ts_tz, num_expr, bool_str, bool_one, null_str, ts_nano, big, seqd FROM pv ORDER BY id" \
    "defaults and values on other column types (computed, numeric on varchar, fractional seconds, NULL, whereParams)"
same_data "SELECT d_uuid IS NOT NULL, d_now IS NOT NULL, a_comp < now() FROM t_defaults ORDER BY id" \
    "computed defaults and values are set alike"
# objects.xml
same_data 'SELECT * FROM "user" ORDER BY id' "data of table \"user\" (reserved-word columns)"
same_data 'SELECT * FROM "order"; SELECT * FROM "select"; SELECT * FROM "MixedCase"; SELECT * FROM "my table"' \
    "data of tables order, select, MixedCase, \"my table\""
same_data "SELECT * FROM person ORDER BY id" "mergeColumns data (joinString ', ' and '')"
same_data "SELECT * FROM car ORDER BY id; SELECT * FROM car_make ORDER BY 1" "addLookupTable data"
same_data 'SELECT * FROM "Ai Mixed" ORDER BY 1; SELECT * FROM "Make Lookup"' "mixed-case / reserved names: addAutoIncrement, mergeColumns, addLookupTable data"
same_data "SELECT * FROM ai ORDER BY v; SELECT * FROM ai2" "addAutoIncrement / autoIncrement values (startWith, incrementBy)"
same_data "SELECT last_value, is_called FROM s_two; SELECT last_value FROM \"table\"" "sequence states"
# sql.xml
same_data "SELECT * FROM log ORDER BY id" \
    "sql/sqlFile data: splitStatements, stripComments, endDelimiter (/, GO, ;;, regex), dbms filters"
same_data "SELECT id, txt, convert_to(txt, 'UTF8') FROM enc ORDER BY id" "sqlFile encoding=ISO-8859-1 and UTF-8 decode alike"
same_data "SELECT f_one(), f_two(), f_three(), f_four(), f_file1(), f_file2()" "functions created through endDelimiter and splitStatements=false"
# proc.xml
same_data "SELECT * FROM plog ORDER BY n" "createProcedure inline and path; CALL results"
same_data "SELECT proname FROM pg_proc WHERE proname IN ('p_dropme', 'p_never', 'f_func') ORDER BY 1" \
    "dropProcedure dropped p_dropme; dbms=oracle procedure not created"
# opts.yaml / opts.json
same_data 'SELECT "Id", c_bool, c_date, c_time, c_num, c_int_num, c_uuid, c_cur, c_jv, c_tiny, "order", "user", "select",
                  CASE WHEN "Id" = 1 THEN c_dt::text END FROM "Y Types" ORDER BY "Id"' "YAML insert/default data"
same_data "SELECT * FROM ypeople; SELECT * FROM ylog ORDER BY id" "YAML mergeColumns without joinString, sql and sqlFile (windows-1252)"
same_data 'SELECT * FROM "where"; SELECT * FROM "Lookup" ORDER BY 1' "JSON insert, addLookupTable and sql data"

# output: the same streams as Liquibase (WARN/INFO go to the log, not compared)
for m in "out to stdout" "out to stderr" "default target, 'quoted' text" "yaml output" "json says hi"; do
    assert_eq "$(stream_of "$m" "$LB_OUT" "$LB_ERR")" "$(stream_of "$m" "$MG_OUT" "$MG_ERR")" "output '$m' goes where Liquibase prints it"
done

update_sql master.xml
assert_contains "$(cat lb.sql.n)" "-- Changeset opts.json::j-3::t6" "Liquibase's update-sql reaches the last changeset"
for f in options.xml objects.xml sql.xml proc.xml opts.yaml opts.json; do
    assert_eq "$(sql_part lb.sql.n "$f::")" "$(sql_part mg.sql.n "$f::")" "update-sql statements of $f equal Liquibase's"
done
assert_eq "$(cat lb.sql.n)" "$(cat mg.sql.n)" "the whole update-sql output equals Liquibase's"

# --- stop -----------------------------------------------------------------------------------

update stop.xml
assert_eq "error error" "$(status "$LB_RC") $(status "$MG_RC")" "stop.xml: both tools stop with an error"
assert_contains "$MG_ERR" "Stopped with a 'message'" "migrator reports the stop message"
assert_contains "$LB_OUT$LB_ERR" "Stopped with a 'message'" "Liquibase reports the stop message"
assert_eq "$(rows c0600lb)" "$(rows c0600mg)" "stop.xml: rows equal Liquibase's (the stop changeset is not recorded)"
assert_eq "$(dump_schema c0600lb)" "$(dump_schema c0600mg)" "stop.xml: the schema equals Liquibase's (nothing after the stop)"
# Changes before <stop> in the same changeset run (then roll back with it): the
# <output target="STDOUT">about to stop</output> before <stop> in x-2 is printed.
assert_eq "$(stream_of "about to stop" "$LB_OUT" "$LB_ERR")" "$(stream_of "about to stop" "$MG_OUT" "$MG_ERR")" \
    "stop.xml: the output before <stop> is printed as by Liquibase"
update_sql stop.xml
assert_eq "$(cat lb.sql.n)" "$(cat mg.sql.n)" "stop.xml: update-sql equals Liquibase's"

update stop.yaml
assert_eq "error error" "$(status "$LB_RC") $(status "$MG_RC")" "stop.yaml: both tools stop with an error"
assert_contains "$MG_ERR" "Stop command in changelog file" "migrator reports the default stop message"
assert_eq "$(rows c0600lb)" "$(rows c0600mg)" "stop.yaml: rows equal Liquibase's"
same_data "SELECT count(*) FROM before_stop" "stop.yaml: the insert before <stop> is rolled back"
assert_eq "$(dump_schema c0600lb)" "$(dump_schema c0600mg)" "stop.yaml: the schema equals Liquibase's"
update_sql stop.yaml
# update-sql of a changeset with changes before <stop> (s-2: an insert, then stop: {}):
# "-- Changeset stop.yaml::s-2::t6", the INSERT, then "-- WARNING The following SQL may
# change each run ...".
assert_eq "$(cat lb.sql.n)" "$(cat mg.sql.n)" "stop.yaml: update-sql equals Liquibase's (SQL of the changes before <stop>)"

# --- createProcedure replaceIfExists: refused on PostgreSQL, true or false ------------------------

update replace.xml
assert_eq "error error" "$(status "$LB_RC") $(status "$MG_RC")" "replace.xml: replaceIfExists=\"false\" is refused by both tools"
assert_contains "$MG_ERR" "replaceIfExists is not allowed on postgresql" "migrator's message names replaceIfExists"
# Every pending changeset is validated before any runs, so r-1 (a createTable before the
# refused createProcedure in r-2) is not run and no row is written.
assert_eq "$(rows c0600lb)" "$(rows c0600mg)" "replace.xml: rows equal Liquibase's (validation before any change runs)"

update ordered.xml
assert_eq "error error" "$(status "$LB_RC") $(status "$MG_RC")" "ordered.xml: createSequence ordered=\"false\" is refused by both tools"
assert_contains "$MG_ERR" "ordered is not allowed on postgresql" "migrator's message names ordered"
assert_eq "$(rows c0600lb)" "$(rows c0600mg)" "ordered.xml: rows equal Liquibase's (nothing runs)"

# --- XML schema validation: mergeColumns needs joinString --------------------------------------

update xsd.xml
# <mergeColumns> without joinString is refused by the XML schema ("cvc-complex-type.4:
# Attribute 'joinString' must appear on element 'mergeColumns'"): exit 1, nothing run.
assert_eq "$(status "$LB_RC")" "$(status "$MG_RC")" "xsd.xml: exit status as Liquibase's (XSD: joinString required)"
assert_eq "$(rows c0600lb)" "$(rows c0600mg)" "xsd.xml: rows equal Liquibase's"

# --- dollar-quoted bodies and createProcedure path+encoding ----------------------------------

update known.xml
assert_eq "$(rows_of c0600lb known.xml | cut -f1-3,5-11 | head -4)" "$(rows_of c0600mg known.xml | cut -f1-3,5-11 | head -4)" \
    "known.xml: ids and descriptions of the first changesets equal Liquibase's"
# The checksum of createProcedure path="sql/k_latin1.sql" encoding="ISO-8859-1": Liquibase
# 4.28 (CreateProcedureChange.generateCheckSumLatest -> PropertyExpandingStream) reads the
# file for the checksum as UTF-8, ignoring `encoding`: each malformed byte (0xE9, 0xE0)
# becomes U+FFFD (9:4faecad2d0197a65534ba2646117ea6e). The SQL run is decoded with `encoding`.
assert_eq "$(psql_q c0600lb "SELECT md5sum FROM databasechangelog WHERE id = 'k-proc-latin1'")" \
    "$(psql_q c0600mg "SELECT md5sum FROM databasechangelog WHERE id = 'k-proc-latin1'")" \
    "createProcedure path + encoding=ISO-8859-1: checksum equals Liquibase's"
# stripComments with a `--` comment inside a $$ body (sqlFile k_strip.sql, endDelimiter="\n/",
# stripComments="true"): Liquibase's 4.28 tokenizer knows no dollar quotes, so it strips
# "-- comment inside the body" from the function body ("RETURN 1; " remains).
same_data "SELECT prosrc FROM pg_proc WHERE proname = 'k_strip'" "stripComments inside a \$\$ body as Liquibase"
# A deliberate difference (docs/compatibility.md): a plpgsql $$ body with the default
# splitting (changeset k-dollar-split: "CREATE FUNCTION k_split() RETURNS int AS $$ BEGIN
# RETURN 1; END; $$ LANGUAGE plpgsql;"). Liquibase 4.28 splits after "END;" and fails
# ("Unterminated dollar quote started at position 41 ... Expected terminating $$", exit 1,
# k-dollar-split not recorded); migrator keeps the body whole and the changeset succeeds.
assert_eq "error ok" "$(status "$LB_RC") $(status "$MG_RC")" \
    "default splitting of a \$\$ body: Liquibase fails, migrator keeps the body whole"
assert_eq "0 1" "$(psql_q c0600lb "SELECT count(*) FROM databasechangelog WHERE id = 'k-dollar-split'") $(psql_q c0600mg "SELECT count(*) FROM databasechangelog WHERE id = 'k-dollar-split'")" \
    "default splitting of a \$\$ body: recorded by migrator only"
assert_eq "1" "$(psql_q c0600mg "SELECT k_split()")" "the function migrator made works"
update_sql known.xml
assert_eq "$(sql_part lb.sql.n known.xml::k-table)" "$(sql_part mg.sql.n known.xml::k-table)" \
    "known.xml: update-sql of k-table equals Liquibase's"
# The same stripping in update-sql ("RETURN 1; ").
assert_eq "$(sql_part lb.sql.n known.xml::k-strip-dollar)" "$(sql_part mg.sql.n known.xml::k-strip-dollar)" \
    "known.xml: update-sql of the stripComments \$\$ body equals Liquibase's"

finish
