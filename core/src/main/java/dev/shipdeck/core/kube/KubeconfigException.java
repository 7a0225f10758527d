package dev.shipdeck.core.kube;

import dev.shipdeck.core.ShipdeckException;

/** A kubeconfig file, or a context's entries in it, cannot be used as written: the person has to fix the file. */
public class KubeconfigException extends ShipdeckException {
    public KubeconfigException(String message, String hint) {
        super(message, hint);
    }
}
