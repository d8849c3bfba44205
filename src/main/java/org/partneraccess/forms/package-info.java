/**
 * What the forms offer: Tasklist's Camunda Forms get the live choices (the active partnerships, a partnership's own
 * scopes, environments, data classes and end date, staff users) when they are loaded, since a start form receives no
 * data of its own. A guide only: the engine's guard and the request's validation still decide what is accepted.
 */
@ApplicationModule(allowedDependencies = {"partnership", "security"})
package org.partneraccess.forms;

import org.springframework.modulith.ApplicationModule;
