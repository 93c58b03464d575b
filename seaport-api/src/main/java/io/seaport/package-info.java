/**
 * Seaport: a semver service registry and port allocator with no server process.
 *
 * <p>Every JVM that calls {@link io.seaport.Seaport#join(String)} becomes a member of a cluster
 * and holds a replica of the whole map from roles ({@code http@1.2.3}) to {@code host:port}
 * pairs. A member offers services with {@link io.seaport.Seaport#service(String, PortStarter)}
 * and finds them with {@link io.seaport.Seaport#query(String)}, {@link io.seaport.Seaport#get(String)}
 * and {@link io.seaport.Seaport#watch(String, java.util.function.Consumer)}, all answered from
 * its own replica.
 *
 * <h2>Roles and ranges</h2>
 * A role is {@code name@version}; the version is semver, and loose versions are coerced
 * ({@code 1.0} is {@code 1.0.0}, {@code 2} is {@code 2.0.0}); a role with no version is
 * {@code 0.0.0}. A range is {@code name@npm-range} ({@code http@1.x}, {@code http@^1.2},
 * {@code http@>=1.0.0 <2.0.0}) or a bare name, which matches every version of the role,
 * pre-releases included. See {@link io.seaport.Role} and {@link io.seaport.RoleRange}.
 */
package io.seaport;
