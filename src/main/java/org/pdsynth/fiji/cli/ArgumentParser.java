package org.pdsynth.fiji.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scijava.module.ModuleItem;

/**
 * Turns {@code pds SUB [positional...] [--name value | --name=value | --flag]} into SciJava input
 * values. Flag names are the parameter names in kebab case ({@code --dwi-grouping} sets
 * {@code dwiGrouping}); a boolean flag without a value means true.
 */
final class ArgumentParser {
    private ArgumentParser() {}

    static Map<String, Object> parse(Subcommand sub, List<ModuleItem<?>> inputs, String[] args) throws UsageException {
        Map<String, ModuleItem<?>> byName = new LinkedHashMap<>();
        for (ModuleItem<?> in : inputs) byName.put(in.getName(), in);
        Map<String, Object> values = new LinkedHashMap<>();
        int pos = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String param = camel(name);
                ModuleItem<?> item = byName.get(param);
                if (item == null) throw new UsageException("unknown option --" + name + " for 'pds " + sub.name() + "'");
                boolean bool = item.getType() == boolean.class || item.getType() == Boolean.class;
                if (value == null) {
                    if (bool && (i + 1 >= args.length || !isBoolean(args[i + 1]))) value = "true";
                    else if (i + 1 < args.length) value = args[++i];
                    else throw new UsageException("option --" + name + " needs a value");
                }
                values.put(param, convert(item, value, "--" + name));
            } else {
                if (pos >= sub.positional().length) throw new UsageException("unexpected argument '" + a + "'");
                String param = sub.positional()[pos++];
                values.put(param, convert(byName.get(param), a, param));
            }
        }
        String missing = missingRequired(inputs, values);
        if (missing != null) throw new UsageException("missing " + display(sub, missing));
        return values;
    }

    /** The first required input (not a service, without default) that {@code values} lacks, or null. */
    static String missingRequired(Iterable<ModuleItem<?>> inputs, Map<String, Object> values) {
        for (ModuleItem<?> in : inputs)
            if (in.isRequired() && !values.containsKey(in.getName()) && !isService(in) && in.getDefaultValue() == null
                    && !in.getType().isPrimitive())
                return in.getName();
        return null;
    }

    /** Inputs the user does not give: services, the context, dialog message lines. */
    static boolean isService(ModuleItem<?> in) {
        return in.getVisibility() == org.scijava.ItemVisibility.MESSAGE || org.scijava.service.Service.class.isAssignableFrom(in.getType())
                || org.scijava.Context.class.isAssignableFrom(in.getType());
    }

    static String display(Subcommand sub, String param) {
        for (String p : sub.positional()) if (p.equals(param)) return param.toUpperCase(Locale.ROOT);
        return "--" + kebab(param);
    }

    private static boolean isBoolean(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }

    static Object convert(ModuleItem<?> item, String v, String what) throws UsageException {
        Class<?> t = item.getType();
        List<?> choices = item.getChoices();
        if (choices != null && !choices.isEmpty() && choices.stream().noneMatch(c -> String.valueOf(c).equals(v)))
            throw new UsageException(what + ": '" + v + "' is not one of " + choices);
        Object value = parseValue(t, v, what);
        checkRange(item, value, what);
        return value;
    }

    /**
     * Enforces the {@code min}/{@code max} a command declares on a numeric parameter (Fiji's dialog
     * enforces them; the command line must too): {@code --steps 0} against {@code min = "2"} is a
     * usage error, not a run.
     */
    static void checkRange(ModuleItem<?> item, Object value, String what) throws UsageException {
        if (!(value instanceof Number n)) return;
        double x = n.doubleValue();
        Object min = item.getMinimumValue(), max = item.getMaximumValue();
        if (min instanceof Number lo && x < lo.doubleValue())
            throw new UsageException(what + ": " + value + " is below the minimum " + lo);
        if (max instanceof Number hi && x > hi.doubleValue())
            throw new UsageException(what + ": " + value + " is above the maximum " + hi);
        if (Double.isNaN(x)) throw new UsageException(what + ": NaN is not a number");
    }

    private static Object parseValue(Class<?> t, String v, String what) throws UsageException {
        try {
            if (t == String.class) return v;
            if (t == File.class) return new File(v);
            if (t == Path.class) return Path.of(v);
            if (t == int.class || t == Integer.class) return Integer.parseInt(v);
            if (t == long.class || t == Long.class) return Long.parseLong(v);
            if (t == double.class || t == Double.class) return Double.parseDouble(v);
            if (t == float.class || t == Float.class) return Float.parseFloat(v);
            if (t == boolean.class || t == Boolean.class) {
                if (!isBoolean(v)) throw new NumberFormatException();
                return Boolean.parseBoolean(v);
            }
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": '" + v + "' is not a valid " + t.getSimpleName());
        }
        throw new UsageException(what + " cannot be given on the command line (type " + t.getSimpleName() + ")");
    }

    static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') up = true;
            else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    static String kebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) b.append('-').append(Character.toLowerCase(c));
            else b.append(c);
        }
        return b.toString();
    }
}
