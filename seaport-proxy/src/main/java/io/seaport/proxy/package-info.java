/**
 * A TCP proxy in front of Seaport services: {@link io.seaport.proxy.SeaportProxy} listens on a
 * local port and sends each accepted connection to one live service matching a semver range,
 * chosen from the local replica.
 *
 * <pre>{@code
 * try (Seaport seaport = Seaport.join("shop");
 *      SeaportProxy proxy = SeaportProxy.forward(seaport, "db@^2", 5432)) {
 *     // clients connect to 127.0.0.1:5432 and reach a live db@2.x.x
 * }
 * }</pre>
 */
package io.seaport.proxy;
