package org.flowstore.app.openflow;

/**
 * A flow, match field or action that has no OpenFlow 1.3 form (an optical or protocol-independent
 * match, a PBB I-SID, an extension, ...), or a switch's flow that has no form in the flow model
 * (a non-prefix IP mask, an experimenter field). The message names the kind.
 */
public final class UntranslatableFlowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what cannot be translated, and why
     */
    public UntranslatableFlowException(String message) {
        super(message);
    }
}
