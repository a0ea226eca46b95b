package org.flowstore.serializers;

import java.nio.charset.StandardCharsets;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;

/**
 * Primitive encodings shared by every serializer of the namespace. Every length read from the
 * wire is checked against the bytes left in the message before anything is allocated, so a
 * hostile length (say, 2 GB) fails at once instead of exhausting the heap.
 */
final class WireFormat {

    /** Longest string accepted on the wire, in UTF-8 bytes. */
    static final int MAX_STRING_BYTES = 64 * 1024;

    private WireFormat() {
    }

    static void writeString(Output out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(bytes.length, true);
        out.writeBytes(bytes);
    }

    static String readString(Input in) {
        int length = readLength(in, 1);
        if (length > MAX_STRING_BYTES) {
            throw new WireFormatException("string of " + length + " bytes exceeds " + MAX_STRING_BYTES, null);
        }
        return new String(in.readBytes(length), StandardCharsets.UTF_8);
    }

    /**
     * Reads a count of items that each take at least {@code minItemBytes} bytes, and checks that
     * the rest of the message can hold them.
     */
    static int readLength(Input in, int minItemBytes) {
        int length = in.readVarInt(true);
        long remaining = (long) in.limit() - in.position();
        if (length < 0 || (long) length * minItemBytes > remaining) {
            throw new WireFormatException("length " + length + " exceeds the " + remaining + " bytes left", null);
        }
        return length;
    }

    static <E extends Enum<E>> void writeEnum(Output out, E value) {
        out.writeVarInt(value.ordinal(), true);
    }

    static <E extends Enum<E>> E readEnum(Input in, E[] values) {
        int ordinal = in.readVarInt(true);
        if (ordinal < 0 || ordinal >= values.length) {
            throw new WireFormatException("no " + values[0].getDeclaringClass().getSimpleName()
                    + " with ordinal " + ordinal, null);
        }
        return values[ordinal];
    }

    /** Reads an object written with {@code writeClassAndObject} and checks its type. */
    static <T> T readTyped(Kryo kryo, Input in, Class<T> type) {
        Object o = kryo.readClassAndObject(in);
        if (!type.isInstance(o)) {
            throw new WireFormatException("expected " + type.getSimpleName() + " but found "
                    + (o == null ? "null" : o.getClass().getSimpleName()), null);
        }
        return type.cast(o);
    }
}
