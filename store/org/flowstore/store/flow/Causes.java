package org.flowstore.store.flow;

import java.util.concurrent.CompletionException;

/** What failed a future, without the {@link CompletionException} that futures wrap it in. */
final class Causes {

    private Causes() {
    }

    /** Returns the failure a future's stage saw, unwrapped from its CompletionException. */
    static Throwable of(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Returns the unwrapped failure's message, or its class when it has none: for logs and replies. */
    static String message(Throwable e) {
        Throwable cause = of(e);
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
