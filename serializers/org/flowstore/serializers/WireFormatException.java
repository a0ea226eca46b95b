package org.flowstore.serializers;

/**
 * Bytes that are not a valid flowstore message: truncated, corrupt, of an unregistered type,
 * or holding a value the model refuses.
 */
public final class WireFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the bytes
     * @param cause the underlying failure, or null
     */
    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
