/** The fory value codec. */
@NullMarked
package io.lamina.codec.fory;

import org.jspecify.annotations.NullMarked;
