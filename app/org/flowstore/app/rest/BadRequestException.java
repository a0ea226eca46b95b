package org.flowstore.app.rest;

/** A request the REST API refuses with 400: the message names the field at fault. */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the refusal.
     *
     * @param message what is wrong, naming the field
     */
    public BadRequestException(String message) {
        super(message);
    }
}
