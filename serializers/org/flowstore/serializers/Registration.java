package org.flowstore.serializers;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.kryo5.Serializer;

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

    static <T> Registration<T> of(int id, Class<T> type, Codec<T> codec) {
        return new Registration<>(id, type, codec.serializer());
    }
}
