/** The jackson2 value codec. */
@NullMarked
package io.lamina.codec.jackson2;

import org.jspecify.annotations.NullMarked;
