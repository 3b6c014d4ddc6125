package org.pdsynth.volume;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The project's one CSV dialect, on Apache Commons CSV (the copy Fiji ships): RFC 4180 records
 * (fields separated by commas; a field quoted with double quotes holds commas, line breaks and
 * doubled quotes), blanks around fields dropped, blank lines skipped, a leading UTF-8 byte order
 * mark ignored, LF line ends on output. What remains here is only the dialect and the 1-based
 * line where each record starts, which the manifest readers put in their error messages.
 */
public final class Csv {
    /** Reading: RFC 4180, blanks around fields trimmed, empty lines skipped. */
    public static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true).build();
    /** Writing: quotes only where needed (comma, quote, line break, surrounding blanks), LF record ends. */
    public static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.MINIMAL).setRecordSeparator('\n').build();

    private Csv() {}

    /** One record and the 1-based line where it starts. */
    public record Row(int line, List<String> fields) {}

    /** A syntax error at a line. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        public final int line;

        SyntaxException(int line, String what) {
            super(what);
            this.line = line;
        }
    }

    /** All records of {@code text}; a record of one empty field (a line of blanks) is skipped. */
    public static List<Row> parse(String text) throws SyntaxException {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<Row> rows = new ArrayList<>();
        int[] lineStarts = lineStarts(text);
        try (CSVParser p = READ.parse(new StringReader(text))) {
            for (CSVRecord r : p) {
                List<String> f = r.toList();
                if (f.size() == 1 && f.get(0).isEmpty() && !text.startsWith("\"", (int) r.getCharacterPosition())) continue;
                rows.add(new Row(lineOf(lineStarts, r.getCharacterPosition()), List.copyOf(f)));
            }
        } catch (IOException | UncheckedIOException e) {
            Throwable c = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            String m = c.getMessage() == null ? c.toString() : c.getMessage();
            if (m.contains("EOF reached before encapsulated token finished"))
                throw new SyntaxException(lineOf(lineStarts, openQuote(text)), "quoted field is not closed");
            if (m.contains("Invalid character between encapsulated token and delimiter"))
                throw new SyntaxException(lineFrom(m, lineStarts.length), "text after a closing quote");
            throw new SyntaxException(lineFrom(m, lineStarts.length), m);
        }
        return rows;
    }

    /** One record, fields quoted when they hold a comma, quote, line break or surrounding blanks. */
    public static String format(List<String> fields) {
        StringBuilder b = new StringBuilder();
        try {
            WRITE.printRecord(b, fields.stream().map(f -> f == null ? "" : f).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.substring(0, b.length() - 1);
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && !(i + 1 < text.length() && text.charAt(i + 1) == '\n')) starts.add(i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lineOf(int[] starts, long pos) {
        int line = 1;
        while (line < starts.length && starts[line] <= pos) line++;
        return line;
    }

    /** Position of the quote that opens the last, unclosed quoted field (doubled quotes toggle twice). */
    private static int openQuote(String text) {
        int open = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++)
            if (text.charAt(i) == '"') {
                in = !in;
                if (in) open = i;
            }
        return open;
    }

    /** Commons CSV names the line it stopped at ("line: N" or "(line N)"); else the last line. */
    private static int lineFrom(String message, int lines) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line:? (\\d+)").matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : lines;
    }
}
