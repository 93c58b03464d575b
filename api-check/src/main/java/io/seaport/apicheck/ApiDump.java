package io.seaport.apicheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the public API of one module as text: its module declaration (what it exports, uses and
 * provides, whom it requires transitively), then every public or protected type of its exported
 * packages with each public or protected constructor, method and field, one line each, with full
 * generic signatures, sorted so that the text changes only when the API does.
 *
 * <p>Reads the module's classes by reflection; a class is initialized only when it has a public
 * constant, whose value is part of the dump. Stateless and thread-safe.
 */
public final class ApiDump {
    private static final String INDENT = "  ";

    private ApiDump() {
    }

    /**
     * Returns the API of the module at {@code location}, one line per list element.
     *
     * @param location a module's classes directory or its jar, with a {@code module-info.class}
     * @param loader a class loader that loads the module's classes and their dependencies
     * @return the lines of the dump, without line terminators
     * @throws IllegalArgumentException if {@code location} holds no module or a class cannot be loaded
     * @throws UncheckedIOException if {@code location} cannot be read
     */
    public static List<String> of(Path location, ClassLoader loader) {
        ModuleDescriptor module = ModuleFinder.of(location).findAll().stream().findFirst()
                .map(ModuleReference::descriptor)
                .orElseThrow(() -> new IllegalArgumentException("no module-info.class at '" + location + "'"));
        List<String> lines = new ArrayList<>(moduleLines(module));
        List<String> exported = module.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).sorted().collect(Collectors.toList());
        for (String pkg : exported) {
            for (String className : topLevelClasses(location, pkg)) {
                Class<?> type = load(className, loader);
                if (Modifier.isPublic(type.getModifiers())) {
                    typeLines(type, lines);
                }
            }
        }
        return lines;
    }

    private static List<String> moduleLines(ModuleDescriptor module) {
        List<String> lines = new ArrayList<>();
        lines.add("module " + module.name());
        module.requires().stream().filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(r -> INDENT + "requires transitive "
                        + (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) ? "static " : "") + r.name())
                .sorted().forEach(lines::add);
        module.exports().stream().filter(e -> !e.isQualified()).map(e -> INDENT + "exports " + e.source()).sorted()
                .forEach(lines::add);
        module.uses().stream().map(s -> INDENT + "uses " + s).sorted().forEach(lines::add);
        module.provides().stream().map(p -> INDENT + "provides " + p.service()).sorted().forEach(lines::add);
        return lines;
    }

    private static List<String> topLevelClasses(Path location, String pkg) {
        if (Files.isDirectory(location)) {
            return classesIn(location.resolve(pkg.replace('.', '/')), pkg);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return classesIn(jar.getPath(pkg.replace('.', '/')), pkg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + location + "'", e);
        }
    }

    private static List<String> classesIn(Path dir, String pkg) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$") && !f.equals("package-info.class"))
                    .map(f -> pkg + "." + f.substring(0, f.length() - ".class".length()))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list '" + dir + "'", e);
        }
    }

    private static Class<?> load(String className, ClassLoader loader) {
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("cannot load '" + className + "': " + e, e);
        }
    }

    private static void typeLines(Class<?> type, List<String> lines) {
        lines.add("");
        lines.add(header(type));
        List<String> members = new ArrayList<>();
        Arrays.stream(type.getDeclaredFields()).filter(f -> isVisible(f.getModifiers()) && !f.isSynthetic())
                .map(f -> "0" + field(f)).forEach(members::add);
        Arrays.stream(type.getDeclaredConstructors()).filter(c -> isVisible(c.getModifiers()) && !c.isSynthetic())
                .map(c -> "1" + constructor(c)).forEach(members::add);
        Arrays.stream(type.getDeclaredMethods())
                .filter(m -> isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge())
                .map(m -> "2" + method(m)).forEach(members::add);
        members.stream().sorted().map(m -> INDENT + m.substring(1)).forEach(lines::add);
        Arrays.stream(type.getDeclaredClasses()).filter(c -> isVisible(c.getModifiers()))
                .sorted(Comparator.comparing(Class::getName)).forEach(nested -> typeLines(nested, lines));
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers() & Modifier.classModifiers();
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~(Modifier.ABSTRACT | Modifier.STATIC);
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~(Modifier.ABSTRACT | Modifier.STATIC);
        } else if (type.isEnum()) {
            kind = "enum";
            modifiers &= ~(Modifier.FINAL | Modifier.STATIC);
        } else if (type.isRecord()) {
            kind = "record";
            modifiers &= ~(Modifier.FINAL | Modifier.STATIC);
        } else {
            kind = "class";
        }
        StringBuilder header = new StringBuilder(Modifier.toString(modifiers));
        if (type.isSealed()) {
            header.append(" sealed");
        }
        header.append(' ').append(kind).append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && !Set.of(Object.class, Record.class, Enum.class).contains(erasure(superclass))) {
            header.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            header.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            header.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return header.toString();
    }

    private static Class<?> erasure(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof java.lang.reflect.ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static String typeParameters(TypeVariable<?>[] parameters) {
        if (parameters.length == 0) {
            return "";
        }
        return Arrays.stream(parameters).map(p -> {
            List<Type> bounds = Arrays.stream(p.getBounds()).filter(b -> b != Object.class).collect(Collectors.toList());
            return bounds.isEmpty() ? p.getName()
                    : p.getName() + " extends " + bounds.stream().map(Type::getTypeName).collect(Collectors.joining(" & "));
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String field(Field field) {
        String line = Modifier.toString(field.getModifiers()) + " " + field.getGenericType().getTypeName() + " "
                + field.getName();
        int constant = Modifier.STATIC | Modifier.FINAL;
        boolean constantType = field.getType().isPrimitive() || field.getType() == String.class;
        if ((field.getModifiers() & constant) == constant && constantType && Modifier.isPublic(field.getModifiers())) {
            try {
                Object value = field.get(null);
                line += " = " + (value instanceof String ? '"' + (String) value + '"' : value);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("cannot read constant " + field, e);
            }
        }
        return line;
    }

    private static String constructor(Constructor<?> constructor) {
        return constructor.toGenericString();
    }

    private static String method(Method method) {
        // toGenericString names the declaring class before the method's name; the type's header says it.
        return method.toGenericString().replace(" " + method.getDeclaringClass().getTypeName() + ".", " ");
    }
}
