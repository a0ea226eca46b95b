package org.flowstore.app.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import org.flowstore.api.ByteString;

/**
 * A JSON object of a request being decoded, with its place in the request, so that every refusal
 * names the field ({@code flows[3].selector.criteria[0].ethType}). The path is spelled out only
 * for a refusal, and each member is looked up once: a bulk post decodes thousands of objects.
 */
public final class JsonInput {

    private final JsonNode node;
    /** The object holding this one; null for the root. */
    private final JsonInput parent;
    /** The member of the parent holding this object (or the array holding it). */
    private final String member;
    /** The index in that array; -1 when the member holds this object itself. */
    private final int index;

    private JsonInput(JsonNode node, JsonInput parent, String member, int index) {
        this.node = node;
        this.parent = parent;
        this.member = member;
        this.index = index;
    }

    /**
     * Wraps a request body.
     *
     * @param root the parsed body
     * @return the input
     * @throws BadRequestException if the body is not a JSON object
     */
    public static JsonInput root(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new BadRequestException("the request body must be a JSON object");
        }
        return new JsonInput(root, null, null, -1);
    }

    /** Returns the object. */
    public JsonNode node() {
        return node;
    }

    /** Returns where the object sits in the request ({@code flows[3].selector}); empty for the root. */
    public String path() {
        if (parent == null) {
            return "";
        }
        String field = parent.field(member);
        return index < 0 ? field : field + "[" + index + "]";
    }

    /** Returns the path of a field of this object. */
    public String field(String name) {
        String path = path();
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Returns true when the field is present and not null. */
    public boolean has(String name) {
        return value(name) != null;
    }

    /** Returns a field's value, or null when it is absent or null: one lookup. */
    private JsonNode value(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** Returns a required text field (numbers are taken as their text). */
    public String text(String name) {
        return text(name, required(name));
    }

    private String text(String name, JsonNode v) {
        if (!v.isTextual() && !v.isNumber()) {
            throw new BadRequestException(field(name) + " must be a string");
        }
        return v.asText();
    }

    /** Returns an optional text field, or the default. */
    public String text(String name, String defaultValue) {
        JsonNode v = value(name);
        return v == null ? defaultValue : text(name, v);
    }

    /** Returns a required whole number within bounds; decimal text and {@code 0x} hex text are accepted. */
    public long number(String name, long min, long max) {
        return number(name, required(name), min, max);
    }

    private long number(String name, JsonNode v, long min, long max) {
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.asLong();
        } else if (v.isTextual()) {
            String t = v.asText().trim();
            try {
                value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new BadRequestException(field(name) + " must be a whole number, was '" + t + "'");
            }
        } else {
            throw new BadRequestException(field(name) + " must be a whole number");
        }
        if (value < min || value > max) {
            throw new BadRequestException(field(name) + " must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /**
     * Returns an unsigned field value of {@code bits} bits: a JSON number (for a 64-bit field a
     * negative one stands for its two's complement, as ONOS writes it) or a decimal or
     * {@code 0x} hex string.
     *
     * @param name the member
     * @param bits the field's width, 1 to 64
     * @param what what the field is, for the message (say, {@code VLAN_PCP})
     */
    public long bits(String name, int bits, String what) {
        JsonNode v = required(name);
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.asLong();
            if (value < 0 && bits < 64) {
                throw new BadRequestException(field(name) + " must be 0.." + maxOf(bits) + " (" + what + " is " + bits
                        + " bits), was " + value);
            }
        } else if (v.isTextual()) {
            String t = v.asText().trim();
            try {
                value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                        : Long.parseUnsignedLong(t);
            } catch (NumberFormatException e) {
                throw new BadRequestException(field(name) + " must be a whole number or 0x hex, was '" + t + "'");
            }
        } else {
            throw new BadRequestException(field(name) + " must be a whole number or 0x hex");
        }
        if (bits < 64 && Long.compareUnsigned(value, (1L << bits) - 1) > 0) {
            throw new BadRequestException(field(name) + " must be 0.." + maxOf(bits) + " (" + what + " is " + bits
                    + " bits), was " + Long.toUnsignedString(value));
        }
        return value;
    }

    /**
     * Returns a required one-bit flag: {@code true}/{@code false} (as ONOS writes MPLS_BOS), or 1/0.
     *
     * @param name the member
     * @param what what the field is, for the message
     */
    public boolean flag(String name, String what) {
        return required(name).isIntegralNumber() ? bits(name, 1, what) == 1 : bool(name, false);
    }

    private static String maxOf(int bits) {
        return bits >= 64 ? "0xFFFFFFFFFFFFFFFF" : Long.toString((1L << bits) - 1);
    }

    /** Returns a member holding bytes as base64 text (how Jackson writes bytes, and ONOS an extension criterion). */
    public ByteString binary(String name) {
        JsonNode v = required(name);
        try {
            byte[] bytes = v.binaryValue();
            if (bytes == null) {
                throw new BadRequestException(field(name) + " must be base64 text");
            }
            return ByteString.copyOf(bytes);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadRequestException(field(name) + " must be base64 text of at most " + ByteString.MAX_LENGTH
                    + " bytes: " + e.getMessage());
        }
    }

    /** Returns an optional whole number within bounds, or the default. */
    public long number(String name, long min, long max, long defaultValue) {
        JsonNode v = value(name);
        return v == null ? defaultValue : number(name, v, min, max);
    }

    /** Returns an optional boolean, or the default. */
    public boolean bool(String name, boolean defaultValue) {
        JsonNode v = value(name);
        if (v == null) {
            return defaultValue;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new BadRequestException(field(name) + " must be true or false");
    }

    /** Returns a required nested object. */
    public JsonInput object(String name) {
        JsonNode v = required(name);
        if (!v.isObject()) {
            throw new BadRequestException(field(name) + " must be an object");
        }
        return new JsonInput(v, this, name, -1);
    }

    /** Returns the objects of an optional array field (empty when absent). */
    public List<JsonInput> objects(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new BadRequestException(field(name) + " must be an array");
        }
        List<JsonInput> items = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                throw new BadRequestException(field(name) + "[" + i + "] must be an object");
            }
            items.add(new JsonInput(item, this, name, i));
        }
        return items;
    }

    /**
     * Converts a required text field with a model factory, turning the model's refusal into one
     * naming the field.
     */
    public <T> T parse(String name, Function<String, T> factory) {
        String t = text(name);
        try {
            return factory.apply(t.trim());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field(name) + ": " + e.getMessage());
        }
    }

    /** Refuses this object with a message about it. */
    public BadRequestException fail(String message) {
        String path = path();
        return new BadRequestException((path.isEmpty() ? "" : path + ": ") + message);
    }

    private JsonNode required(String name) {
        JsonNode v = value(name);
        if (v == null) {
            throw new BadRequestException(field(name) + " is required");
        }
        return v;
    }

    /**
     * Reads an enum constant by name, case-insensitively; a name it does not know is refused
     * listing those it does.
     *
     * @param member the member holding the name
     * @param kind the enum
     * @param what what the constant is, for the message (say, {@code criterion})
     */
    public <E extends Enum<E>> E oneOf(String member, Class<E> kind, String what) {
        String name = text(member).trim().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(kind, name);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field(member) + " '" + name + "' is not a supported " + what + "; one of "
                    + Arrays.toString(kind.getEnumConstants()));
        }
    }

    /**
     * Runs a model factory on this object's values, turning its refusal into one that names this
     * object (say, {@code flows[3].selector.criteria[0]: MPLS_LABEL is 20 bits ...}).
     */
    public <T> T build(Supplier<T> factory) {
        try {
            return factory.get();
        } catch (BadRequestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw fail(String.valueOf(e.getMessage()));
        }
    }
}
