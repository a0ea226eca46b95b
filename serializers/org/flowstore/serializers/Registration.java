package org.flowstore.serializers;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;

/**
 * One wire type: its fixed id and its encoding.
 *
 * @param id the registration id written on the wire; never reused or changed
 * @param type the class
 * @param serializer its encoding
 * @param <T> the type
 */
public record Registration<T>(int id, Class<T> type, Serializer<T> serializer) {

    /** Checks the parts. */
    public Registration {
        requireNonNull(type, "type");
        requireNonNull(serializer, "serializer");
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

    static <T> Registration<T> of(int id, Class<T> type, Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = new Serializer<>(false, true) {
            @Override
            public void write(Kryo kryo, Output output, T value) {
                writer.write(kryo, output, value);
            }

            @Override
            public T read(Kryo kryo, Input input, Class<? extends T> cls) {
                return reader.read(kryo, input);
            }
        };
        return new Registration<>(id, type, serializer);
    }
}
