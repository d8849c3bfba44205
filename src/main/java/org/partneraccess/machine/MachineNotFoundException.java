package org.partneraccess.machine;

public class MachineNotFoundException extends RuntimeException {

    public MachineNotFoundException(String identityId) {
        super("No partner machine " + identityId);
    }
}
