package org.pdsynth.volume;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimal CSV (RFC 4180 style) for manifests. Fields are separated by commas; a field may be
 * quoted with double quotes, and then holds commas, line breaks and doubled quotes ("" for ").
 * Blanks around an unquoted field, and before an opening quote, are dropped. Lines end with LF,
 * CRLF or CR; blank lines are skipped; a leading UTF-8 byte order mark is ignored.
 */
public final class Csv {
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

    public static List<Row> parse(String text) throws SyntaxException {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int line = 1, rowLine = 1, i = 0, n = text.length();
        boolean rowHasContent = false;
        while (true) {
            // start of a field
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
            cell.setLength(0);
            if (i < n && text.charAt(i) == '"') {
                int quoteLine = line;
                i++;
                while (true) {
                    if (i >= n) throw new SyntaxException(quoteLine, "quoted field is not closed");
                    char ch = text.charAt(i++);
                    if (ch == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else break;
                    } else {
                        if (ch == '\n' || ch == '\r' && !(i < n && text.charAt(i) == '\n')) line++;
                        cell.append(ch);
                    }
                }
                while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r')
                    throw new SyntaxException(line, "text after a closing quote");
                fields.add(cell.toString());
                rowHasContent = true;
            } else {
                while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') cell.append(text.charAt(i++));
                String f = cell.toString().strip();
                fields.add(f);
                if (!f.isEmpty()) rowHasContent = true;
            }
            if (i < n && text.charAt(i) == ',') {
                i++;
                rowHasContent = true;
                continue;
            }
            // end of record
            if (rowHasContent) rows.add(new Row(rowLine, List.copyOf(fields)));
            fields.clear();
            rowHasContent = false;
            if (i >= n) break;
            if (text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
            i++;
            line++;
            rowLine = line;
            if (i >= n) break;
        }
        return rows;
    }

    /** One record, fields quoted when they hold a comma, quote, line break or surrounding blanks. */
    public static String format(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < fields.size(); k++) {
            if (k > 0) b.append(',');
            String f = fields.get(k) == null ? "" : fields.get(k);
            boolean quote = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0
                    || !f.equals(f.strip());
            b.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
        }
        return b.toString();
    }
}
