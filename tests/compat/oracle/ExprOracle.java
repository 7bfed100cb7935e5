// Context and label matching as real Liquibase 4.28 does it, for tests/compat/t1000.
// Reads lines "ctx<TAB>changeset context<TAB>runtime contexts" or
// "lbl<TAB>changeset labels<TAB>runtime label filter" ("-" stands for null) and prints
// "true" or "false" for each (or "error" when Liquibase throws).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import liquibase.ContextExpression;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Labels;

public class ExprOracle {
    private static String arg(String s) {
        return "-".equals(s) ? null : s;
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            String answer;
            try {
                boolean r;
                if (f[0].equals("ctx")) {
                    r = new ContextExpression(arg(f[1])).matches(new Contexts(arg(f[2])));
                } else {
                    r = new LabelExpression(arg(f[2])).matches(new Labels(arg(f[1])));
                }
                answer = r ? "true" : "false";
            } catch (RuntimeException e) {
                answer = "error";
            }
            System.out.println(answer);
        }
    }
}
