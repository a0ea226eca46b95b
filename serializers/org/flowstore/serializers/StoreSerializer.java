package org.flowstore.serializers;

import java.util.function.Function;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.util.Pool;

/**
 * Encodes and decodes {@link FlowStoreNamespace} types. Thread-safe: Kryo instances and output
 * buffers are pooled, so any thread may call it at any time.
 *
 * <p>Decoding either returns exactly the value that was encoded or throws
 * {@link WireFormatException}; it never hangs, and never allocates more than a small multiple of
 * the message size, whatever the bytes claim.
 */
public final class StoreSerializer {

    /** Largest message accepted, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final int INITIAL_BUFFER_BYTES = 4096;

    private final Pool<Kryo> kryos = new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
            return FlowStoreNamespace.newKryo();
        }
    };

    private final Pool<Output> outputs = new Pool<>(true, false, 64) {
        @Override
        protected Output create() {
            return new Output(INITIAL_BUFFER_BYTES, MAX_MESSAGE_BYTES);
        }
    };

    /**
     * Encodes a registered value (or null).
     *
     * @param value the value
     * @return its bytes
     * @throws WireFormatException if the value is of an unregistered type or exceeds
     *         {@value #MAX_MESSAGE_BYTES} bytes
     */
    public byte[] encode(Object value) {
        Kryo kryo = kryos.obtain();
        Output output = outputs.obtain();
        try {
            output.reset();
            kryo.writeClassAndObject(output, value);
            return output.toBytes();
        } catch (KryoException | IllegalArgumentException e) {
            throw new WireFormatException("cannot encode " + (value == null ? "null" : value.getClass().getName())
                    + ": " + e.getMessage(), e);
        } finally {
            if (output.getBuffer().length > INITIAL_BUFFER_BYTES * 16) {
                output.setBuffer(new byte[INITIAL_BUFFER_BYTES], MAX_MESSAGE_BYTES);
            }
            outputs.free(output);
            kryos.free(kryo);
        }
    }

    /**
     * Returns a decoder that accepts only non-null values of one type, for messages whose type
     * the subject fixes: a peer that sends anything else gets a {@link WireFormatException}.
     *
     * @param type the expected type
     * @param <T> the type
     * @return the decoder
     */
    public <T> Function<byte[], T> decoder(Class<T> type) {
        return bytes -> {
            Object value = decode(bytes);
            if (!type.isInstance(value)) {
                throw new WireFormatException("expected a " + type.getSimpleName() + " but the message holds "
                        + (value == null ? "null" : "a " + value.getClass().getSimpleName()), null);
            }
            return type.cast(value);
        };
    }

    /**
     * Decodes bytes made by {@link #encode}.
     *
     * @param bytes the bytes
     * @param <T> the expected type
     * @return the value (null if null was encoded)
     * @throws WireFormatException if the bytes are truncated, corrupt, too large, have bytes
     *         left over, or hold a value the model refuses
     */
    @SuppressWarnings("unchecked")
    public <T> T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException("empty message", null);
        }
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new WireFormatException("message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE_BYTES, null);
        }
        Kryo kryo = kryos.obtain();
        boolean clean = false;
        try {
            Input input = new Input(bytes);
            Object value = kryo.readClassAndObject(input);
            if (input.position() != bytes.length) {
                throw new WireFormatException((bytes.length - input.position()) + " bytes left over after a "
                        + (value == null ? "null" : value.getClass().getSimpleName()), null);
            }
            clean = true;
            return (T) value;
        } catch (WireFormatException e) {
            throw e;
        } catch (KryoException | IllegalArgumentException | NullPointerException | IllegalStateException
                 | ClassCastException | IndexOutOfBoundsException e) {
            throw new WireFormatException("corrupt message of " + bytes.length + " bytes: " + e.getMessage(), e);
        } finally {
            // A Kryo that failed mid-message may hold partial state: let it go rather than reuse it.
            if (clean) {
                kryos.free(kryo);
            }
        }
    }
}
