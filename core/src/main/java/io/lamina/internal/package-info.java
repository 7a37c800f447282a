/** The facade's implementation. Not API: anything here may change in any release. */
@NullMarked
package io.lamina.internal;

import org.jspecify.annotations.NullMarked;
