package unetq.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the unetq command line in this JVM, capturing its exit code, stdout and stderr. */
final class Cli {
    record Run(int code, String out, String err) {
    }

    private Cli() {
    }

    static Run unetq(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
