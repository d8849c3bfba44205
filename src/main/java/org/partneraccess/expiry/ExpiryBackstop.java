package org.partneraccess.expiry;

import java.util.Date;

import org.springframework.stereotype.Component;

/** When the machine process's own end-date timer fires: after the sweeper has had its chance (BPMN expression). */
@Component("expiryBackstop")
public class ExpiryBackstop {

    private final ExpiryProperties properties;

    public ExpiryBackstop(ExpiryProperties properties) {
        this.properties = properties;
    }

    public Date dueAfter(Date accessEnd) {
        return Date.from(accessEnd.toInstant().plus(properties.backstopDelay()));
    }
}
