package org.flowstore.serializers;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;

/**
 * How one wire type is written and read, field by field, without its id (which
 * {@link FlowStoreNamespace} gives it).
 *
 * @param writer writes a value's fields
 * @param reader reads them back into a value
 * @param <T> the type
 */
record Codec<T>(Writer<T> writer, Reader<T> reader) {

    /** Checks the parts. */
    Codec {
        requireNonNull(writer, "writer");
        requireNonNull(reader, "reader");
    }

    /** Writes a value's fields. */
    @FunctionalInterface
    interface Writer<T> {
        void write(Kryo kryo, Output out, T value);
    }

    /** Reads a value's fields. */
    @FunctionalInterface
    interface Reader<T> {
        T read(Kryo kryo, Input in);
    }

    /** Returns this codec as a Kryo serializer of immutable values that never holds references. */
    Serializer<T> serializer() {
        return new Serializer<>(false, true) {
            @Override
            public void write(Kryo kryo, Output output, T value) {
                writer.write(kryo, output, value);
            }

            @Override
            public T read(Kryo kryo, Input input, Class<? extends T> cls) {
                return reader.read(kryo, input);
            }
        };
    }
}
