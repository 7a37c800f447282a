/** Contract suites: abstract JUnit 5 classes that every local tier, remote store and bus implementation extends. */
@NullMarked
package io.lamina.testkit.contract;

import org.jspecify.annotations.NullMarked;
