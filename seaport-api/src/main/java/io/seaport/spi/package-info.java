/**
 * The service-provider interface: what an implementation of {@link io.seaport.Seaport} plugs
 * into: the configuration it receives and the interface it implements.
 *
 * <p>A provider implements {@link io.seaport.spi.SeaportProvider} and declares it with
 * {@code provides io.seaport.spi.SeaportProvider with ...} in its module and in
 * {@code META-INF/services/io.seaport.spi.SeaportProvider}, so that module-path and class-path
 * users both find it.
 */
package io.seaport.spi;
