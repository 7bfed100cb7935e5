// A properties file as Liquibase 4.28 reads <property file="..."> (Properties.load of the
// file's InputStream), printed as tests/probe.c prints it: "key=value" per entry, sorted, every
// character outside printable ASCII (and the backslash) as a backslash-u escape; "error" when load throws.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public class PropsOracle {
    private static String visible(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7F && c != '\\') b.append(c);
            else b.append(String.format("\\u%04X", (int) c));
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        for (String file : args) {
            Properties p = new Properties();
            try (InputStream in = new FileInputStream(file)) {
                p.load(in);
            } catch (IllegalArgumentException e) {
                System.out.println("error");
                System.out.println("--");
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (Map.Entry<Object, Object> e : p.entrySet())
                lines.add(visible((String) e.getKey()) + "=" + visible((String) e.getValue()));
            Collections.sort(lines);
            for (String l : lines) System.out.println(l);
            System.out.println("--");
        }
    }
}
