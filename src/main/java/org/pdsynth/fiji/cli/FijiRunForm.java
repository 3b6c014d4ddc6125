package org.pdsynth.fiji.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

/**
 * Fiji's headless form {@code --run "PDS > Synthesize dMRI from fMRI" "input='a.nii.gz',out='b.nii.gz'"}:
 * the command is found by its menu path (the leading "Plugins" may be left out; the last item
 * alone also works when unambiguous), values are {@code key='value'} pairs separated by commas
 * (a value may also be unquoted when it has no comma).
 */
final class FijiRunForm {
    private FijiRunForm() {}

    static CommandInfo find(CommandService commands, String menu) throws UsageException {
        String want = normalise(menu);
        List<CommandInfo> hits = new ArrayList<>();
        for (CommandInfo c : commands.getCommands()) {
            if (c.getMenuPath() == null || c.getMenuPath().isEmpty() || !c.getClassName().startsWith("org.pdsynth.")) continue;
            String path = normalise(c.getMenuPath().getMenuString());
            if (path.equals(want) || path.endsWith(" > " + want) || path.equals("plugins > " + want)) hits.add(c);
        }
        if (hits.size() == 1) return hits.get(0);
        List<String> names = new ArrayList<>();
        for (CommandInfo c : commands.getCommands())
            if (c.getClassName().startsWith("org.pdsynth.") && c.getMenuPath() != null && !c.getMenuPath().isEmpty())
                names.add("\"" + c.getMenuPath().getMenuString().replaceFirst("^Plugins > ", "") + "\"");
        throw new UsageException((hits.isEmpty() ? "no PDS command '" : "several PDS commands match '") + menu + "'; known: "
                + String.join(", ", names));
    }

    private static String normalise(String s) {
        return s.trim().replaceAll("\\s*>\\s*", " > ").toLowerCase(java.util.Locale.ROOT);
    }

    static Map<String, Object> values(CommandInfo info, String args) throws UsageException {
        Map<String, ModuleItem<?>> byName = new LinkedHashMap<>();
        for (ModuleItem<?> in : info.inputs()) byName.put(in.getName(), in);
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 0, n = args.length();
        while (i < n) {
            while (i < n && (args.charAt(i) == ',' || Character.isWhitespace(args.charAt(i)))) i++;
            if (i >= n) break;
            int eq = args.indexOf('=', i);
            if (eq < 0) throw new UsageException("expected key='value' at '" + args.substring(i) + "'");
            String key = args.substring(i, eq).trim();
            i = eq + 1;
            String value;
            if (i < n && (args.charAt(i) == '\'' || args.charAt(i) == '"')) {
                char q = args.charAt(i);
                int end = args.indexOf(q, i + 1);
                if (end < 0) throw new UsageException("unclosed quote in the value of " + key);
                value = args.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = args.indexOf(',', i);
                if (end < 0) end = n;
                value = args.substring(i, end).trim();
                i = end;
            }
            ModuleItem<?> item = byName.get(key);
            if (item == null) throw new UsageException("'" + info.getTitle() + "' has no parameter '" + key + "'; it has " + byName.keySet());
            values.put(key, ArgumentParser.convert(item, value, key));
        }
        String missing = ArgumentParser.missingRequired(byName.values(), values);
        if (missing != null) throw new UsageException("missing " + missing + "='...'");
        return values;
    }
}
