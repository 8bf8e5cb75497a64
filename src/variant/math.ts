import { formatFloat, formatReals } from "./format.js";
import { Vector2, Vector2i, Vector3, Vector4 } from "./vectors.js";

/**
 * An axis-aligned rectangle of reals. Ports Godot's `Rect2`: `new Rect2(x, y, w, h)` or
 * `new Rect2(position, size)`. Encoded as position.x, position.y, size.x, size.y.
 */
export class Rect2 {
  /** Godot `position`. */
  position: Vector2;
  /** Godot `size`. */
  size: Vector2;

  constructor(position?: Vector2, size?: Vector2);
  constructor(x: number, y: number, width: number, height: number);
  constructor(a?: Vector2 | number, b?: Vector2 | number, width = 0, height = 0) {
    if (typeof a === "number") {
      this.position = new Vector2(a, b as number);
      this.size = new Vector2(width, height);
    } else {
      this.position = a ?? new Vector2();
      this.size = (b as Vector2 | undefined) ?? new Vector2();
    }
  }

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return other instanceof Rect2 && other.position.equals(this.position) && other.size.equals(this.size);
  }

  /** Godot's format: `[P: (1.0, 2.0), S: (3.0, 4.0)]`. */
  toString(): string {
    return `[P: ${this.position}, S: ${this.size}]`;
  }
}

/** An axis-aligned rectangle of int32. Ports Godot 4's `Rect2i`; constructors as {@link Rect2}. */
export class Rect2i {
  /** Godot `position`. */
  position: Vector2i;
  /** Godot `size`. */
  size: Vector2i;

  constructor(position?: Vector2i, size?: Vector2i);
  constructor(x: number, y: number, width: number, height: number);
  constructor(a?: Vector2i | number, b?: Vector2i | number, width = 0, height = 0) {
    if (typeof a === "number") {
      this.position = new Vector2i(a, b as number);
      this.size = new Vector2i(width, height);
    } else {
      this.position = a ?? new Vector2i();
      this.size = (b as Vector2i | undefined) ?? new Vector2i();
    }
  }

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return other instanceof Rect2i && other.position.equals(this.position) && other.size.equals(this.size);
  }

  /** Godot's format: `[P: (1, 2), S: (3, 4)]`. */
  toString(): string {
    return `[P: ${this.position}, S: ${this.size}]`;
  }
}

/** A plane `normal · p = d`. Ports Godot's `Plane`: `new Plane(a, b, c, d)` or `new Plane(normal, d)`. */
export class Plane {
  /** Godot `normal`. */
  normal: Vector3;
  /** Godot `d`. */
  d: number;

  constructor(normal?: Vector3, d?: number);
  constructor(a: number, b: number, c: number, d: number);
  constructor(a?: Vector3 | number, b = 0, c = 0, d = 0) {
    if (typeof a === "number") {
      this.normal = new Vector3(a, b, c);
      this.d = d;
    } else {
      this.normal = a ?? new Vector3();
      this.d = b;
    }
  }

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return other instanceof Plane && other.normal.equals(this.normal) && other.d === this.d;
  }

  /** Godot's format: `[N: (0.0, 1.0, 0.0), D: 5.0]`. */
  toString(): string {
    return `[N: ${this.normal}, D: ${formatFloat(this.d, true)}]`;
  }
}

/** A rotation quaternion. Ports Godot's `Quaternion` (`Quat` in Godot 3); the default is the identity. */
export class Quaternion {
  /** @param x Godot `x`. @param y Godot `y`. @param z Godot `z`. @param w Godot `w`. */
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
    public w = 1,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return (
      other instanceof Quaternion &&
      other.x === this.x &&
      other.y === this.y &&
      other.z === this.z &&
      other.w === this.w
    );
  }

  /** Godot's format: `(0.0, 0.0, 0.0, 1.0)`. */
  toString(): string {
    return formatReals(this.x, this.y, this.z, this.w);
  }
}

/** A 3D axis-aligned box. Ports Godot's `AABB`. Encoded as position.xyz, size.xyz. */
export class AABB {
  /** @param position Godot `position`. @param size Godot `size`. */
  constructor(
    public position = new Vector3(),
    public size = new Vector3(),
  ) {}

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return other instanceof AABB && other.position.equals(this.position) && other.size.equals(this.size);
  }

  /** Godot's format: `[P: (0.0, 0.0, 0.0), S: (1.0, 1.0, 1.0)]`. */
  toString(): string {
    return `[P: ${this.position}, S: ${this.size}]`;
  }
}

/**
 * A 3×3 matrix given by its column vectors, as in GDScript (`basis.x` is the first
 * column). Ports Godot's `Basis`; the default is the identity. The wire order is Godot's
 * row-major `rows[0..2]`: x.x, y.x, z.x, x.y, y.y, z.y, x.z, y.z, z.z.
 */
export class Basis {
  /** @param x Godot `x` (column 0). @param y Godot `y` (column 1). @param z Godot `z` (column 2). */
  constructor(
    public x = new Vector3(1, 0, 0),
    public y = new Vector3(0, 1, 0),
    public z = new Vector3(0, 0, 1),
  ) {}

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return (
      other instanceof Basis && other.x.equals(this.x) && other.y.equals(this.y) && other.z.equals(this.z)
    );
  }

  /** Godot's format: `[X: (1.0, 0.0, 0.0), Y: (0.0, 1.0, 0.0), Z: (0.0, 0.0, 1.0)]`. */
  toString(): string {
    return `[X: ${this.x}, Y: ${this.y}, Z: ${this.z}]`;
  }
}

/**
 * A 2D affine transform: basis columns `x`, `y` and `origin`. Ports Godot's
 * `Transform2D`; the default is the identity. Wire order: x.x, x.y, y.x, y.y, origin.x, origin.y.
 */
export class Transform2D {
  /** @param x Godot `x`. @param y Godot `y`. @param origin Godot `origin`. */
  constructor(
    public x = new Vector2(1, 0),
    public y = new Vector2(0, 1),
    public origin = new Vector2(),
  ) {}

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return (
      other instanceof Transform2D &&
      other.x.equals(this.x) &&
      other.y.equals(this.y) &&
      other.origin.equals(this.origin)
    );
  }

  /** Godot's format: `[X: (1.0, 0.0), Y: (0.0, 1.0), O: (0.0, 0.0)]`. */
  toString(): string {
    return `[X: ${this.x}, Y: ${this.y}, O: ${this.origin}]`;
  }
}

/**
 * A 3D affine transform. Ports Godot 4's `Transform3D` (`Transform` in Godot 3); the
 * default is the identity. Wire order: the basis (as {@link Basis}), then origin.xyz.
 */
export class Transform3D {
  /** @param basis Godot `basis`. @param origin Godot `origin`. */
  constructor(
    public basis = new Basis(),
    public origin = new Vector3(),
  ) {}

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return other instanceof Transform3D && other.basis.equals(this.basis) && other.origin.equals(this.origin);
  }

  /** Godot's format: `[X: (1.0, 0.0, 0.0), Y: …, Z: …, O: (0.0, 0.0, 0.0)]`. */
  toString(): string {
    return `[X: ${this.basis.x}, Y: ${this.basis.y}, Z: ${this.basis.z}, O: ${this.origin}]`;
  }
}

/**
 * A 4×4 projection matrix given by its columns. Ports Godot 4's `Projection`; the
 * default is the identity. Wire order: columns x, y, z, w, each as x, y, z, w.
 * Deviation: `toString()` prints one line, `[X: …, Y: …, Z: …, W: …]`, where Godot prints
 * the matrix rows on separate lines.
 */
export class Projection {
  /** @param x Godot `x` (column 0). @param y Godot `y`. @param z Godot `z`. @param w Godot `w` (column 3). */
  constructor(
    public x = new Vector4(1, 0, 0, 0),
    public y = new Vector4(0, 1, 0, 0),
    public z = new Vector4(0, 0, 1, 0),
    public w = new Vector4(0, 0, 0, 1),
  ) {}

  /** Godot's `==`. */
  equals(other: unknown): boolean {
    return (
      other instanceof Projection &&
      other.x.equals(this.x) &&
      other.y.equals(this.y) &&
      other.z.equals(this.z) &&
      other.w.equals(this.w)
    );
  }

  /** One line: `[X: (1.0, 0.0, 0.0, 0.0), Y: …, Z: …, W: …]`. */
  toString(): string {
    return `[X: ${this.x}, Y: ${this.y}, Z: ${this.z}, W: ${this.w}]`;
  }
}

/**
 * An RGBA color. Ports Godot's `Color`; the default is opaque black. Always encoded as
 * four float32, even by double-precision Godot builds.
 */
export class Color {
  /** @param r Godot `r`. @param g Godot `g`. @param b Godot `b`. @param a Godot `a`. */
  constructor(
    public r = 0,
    public g = 0,
    public b = 0,
    public a = 1,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return (
      other instanceof Color &&
      other.r === this.r &&
      other.g === this.g &&
      other.b === this.b &&
      other.a === this.a
    );
  }

  /** Godot's format: `(1.0, 0.0, 0.0, 1.0)`. */
  toString(): string {
    return formatReals(this.r, this.g, this.b, this.a);
  }
}
