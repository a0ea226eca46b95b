package org.flowstore.store.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a component's properties one at a time, the way every flowstore component does: an absent
 * property takes its default; an invalid value is refused, the setting keeps its current value,
 * and the refusal is recorded (property, value, reason) for the component to log. Values may come
 * typed (from DS) or as text (from a Karaf {@code .cfg} file or the standalone node).
 */
public final class PropertyReader {

    private final Map<String, ?> properties;
    private final List<String> rejected = new ArrayList<>();

    /**
     * Creates a reader.
     *
     * @param properties the component's properties
     */
    public PropertyReader(Map<String, ?> properties) {
        this.properties = properties;
    }

    /**
     * Reads a whole number.
     *
     * @param name the property
     * @param defaultValue its value when absent
     * @param current its value now, kept when the property is invalid
     * @param min smallest accepted value
     * @param max largest accepted value
     * @return the value in force
     */
    public int integer(String name, int defaultValue, int current, int min, int max) {
        Object raw = properties.get(name);
        if (raw == null) {
            return defaultValue;
        }
        long value;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            value = ((Number) raw).longValue();
        } else if (raw instanceof String s) {
            try {
                value = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return refuse(name, raw, "not a whole number", current);
            }
        } else {
            return refuse(name, raw, "not a whole number", current);
        }
        if (value < min || value > max) {
            return refuse(name, raw, "must be " + min + ".." + max, current);
        }
        return (int) value;
    }

    /**
     * Reads a period given in whole milliseconds.
     *
     * @param name the property
     * @param defaultMillis its value when absent
     * @param current its value now, kept when the property is invalid
     * @param min smallest accepted value, in milliseconds
     * @param max largest accepted value, in milliseconds
     * @return the value in force
     */
    public Duration millis(String name, int defaultMillis, Duration current, int min, int max) {
        int currentMillis = (int) current.toMillis();
        int value = integer(name, defaultMillis, currentMillis, min, max);
        return value == currentMillis ? current : Duration.ofMillis(value);
    }

    /**
     * Reads a period given in whole seconds.
     *
     * @param name the property
     * @param defaultSeconds its value when absent
     * @param current its value now, kept when the property is invalid
     * @param min smallest accepted value, in seconds
     * @param max largest accepted value, in seconds
     * @return the value in force
     */
    public Duration seconds(String name, int defaultSeconds, Duration current, int min, int max) {
        int currentSeconds = (int) current.toSeconds();
        int value = integer(name, defaultSeconds, currentSeconds, min, max);
        return value == currentSeconds ? current : Duration.ofSeconds(value);
    }

    /**
     * Reads true or false.
     *
     * @param name the property
     * @param defaultValue its value when absent
     * @param current its value now, kept when the property is invalid
     * @return the value in force
     */
    public boolean bool(String name, boolean defaultValue, boolean current) {
        Object raw = properties.get(name);
        if (raw == null) {
            return defaultValue;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = raw.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        return refuse(name, raw, "must be true or false", current);
    }

    /**
     * Reads one of an enum's constants, by name in any case.
     *
     * @param name the property
     * @param type the enum
     * @param defaultValue its value when absent
     * @param current its value now, kept when the property is invalid
     * @param <E> the enum
     * @return the value in force
     */
    public <E extends Enum<E>> E oneOf(String name, Class<E> type, E defaultValue, E current) {
        Object raw = properties.get(name);
        if (raw == null) {
            return defaultValue;
        }
        String s = raw.toString().trim().toUpperCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(s)) {
                return constant;
            }
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        return refuse(name, raw, "must be one of " + String.join(", ", names), current);
    }

    /**
     * Reads a text matching a pattern.
     *
     * @param name the property
     * @param pattern what a valid value looks like (a regular expression)
     * @param what the pattern in words, for the refusal
     * @param defaultValue its value when absent
     * @param current its value now, kept when the property is invalid
     * @return the value in force
     */
    public String text(String name, String pattern, String what, String defaultValue, String current) {
        Object raw = properties.get(name);
        if (raw == null) {
            return defaultValue;
        }
        String s = raw.toString().trim();
        return s.matches(pattern) ? s : refuse(name, raw, "must be " + what, current);
    }

    /** Returns one line per refused value, naming the property, the value and the reason. */
    public List<String> rejected() {
        return List.copyOf(rejected);
    }

    private <T> T refuse(String name, Object raw, String reason, T current) {
        rejected.add(name + "='" + raw + "' refused (" + reason + "); keeping " + current);
        return current;
    }
}
