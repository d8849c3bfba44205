/** Expiry: end dates, contract ends and inactivity swept into revocations. */
@ApplicationModule(allowedDependencies = {"human", "inventory", "machine", "partnership", "revocation"})
package org.partneraccess.expiry;

import org.springframework.modulith.ApplicationModule;
