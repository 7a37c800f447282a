/** The jackson3 value codec. */
@NullMarked
package io.lamina.codec.jackson3;

import org.jspecify.annotations.NullMarked;
