// Runs many Liquibase CLI commands in one JVM, so that a test pays Liquibase's start-up
// (class loading, service discovery: 2-4 s) once instead of once a command.
//
//   java -cp "$LIQUIBASE_HOME/internal/lib/*" LbBatch.java RUNS
//
// RUNS has one command a line: a log file, then the command's arguments, separated by tabs.
// Each command runs through LiquibaseCommandLine.execute() as the `liquibase` script would
// run it (same working directory, same argument parsing, its own configuration scope), with
// its standard output and error written to the log file; its exit status is written to
// "<log file>.rc".  Used by lb_batch in tests/lib/test-lib.sh.
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;

public class LbBatch {
    public static void main(String[] argv) throws Exception {
        PrintStream stdout = System.out, stderr = System.err;
        System.setProperty("org.fusesource.jansi.Ansi.disable", "true");
        for (String line : Files.readAllLines(Paths.get(argv[0]), StandardCharsets.UTF_8)) {
            if (line.isEmpty())
                continue;
            String[] fields = line.split("\t", -1);
            String[] args = Arrays.copyOfRange(fields, 1, fields.length);
            int rc;
            try (PrintStream log = new PrintStream(new FileOutputStream(fields[0]), true, "UTF-8")) {
                System.setOut(log);
                System.setErr(log);
                try {
                    rc = new liquibase.integration.commandline.LiquibaseCommandLine().execute(args);
                } catch (Throwable t) {
                    t.printStackTrace(log);
                    rc = 99;
                }
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            Files.write(Paths.get(fields[0] + ".rc"), (rc + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
