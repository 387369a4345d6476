import * as fs from 'fs';
import * as path from 'path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { fail, warn } from '../validation/rules';

/**
 * How a Python application is started: the service reads these from the `kinesis.analytics.flink.run.options`
 * property group. Paths are relative to the root of the code zip.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-python-creating.html
 */
export interface PythonRunOptions {
  /** The Python file that builds and runs the job, e.g. `main.py`. */
  readonly entryPoint: string;
  /**
   * The jar that holds the job's Java dependencies (connectors, formats), e.g. `lib/pyflink-dependencies.jar`.
   *
   * @default - none: the job uses no connector outside PyFlink itself
   */
  readonly jarFile?: string;
  /**
   * Extra Python files or folders, comma-separated (PyFlink `--pyFiles`).
   *
   * @default - none
   */
  readonly pyFiles?: string;
  /**
   * Archives to extract next to the job, comma-separated (PyFlink `--pyArchives`).
   *
   * @default - none
   */
  readonly pyArchives?: string;
  /**
   * A requirements file and, optionally, the folder of downloaded packages (PyFlink `--pyRequirements`).
   *
   * @default - none
   */
  readonly pyRequirements?: string;
}

/** A local PyFlink project folder to zip and upload. */
export interface PythonProjectOptions extends PythonRunOptions {
  /**
   * Glob patterns of files to leave out of the zip.
   *
   * @default ['__pycache__', '*.pyc', '.venv', 'venv', '.pytest_cache', 'target'] (Maven's build folder)
   */
  readonly exclude?: string[];
}

/** An application package already in S3. */
export interface FlinkBucketCodeOptions {
  /**
   * Version of the object, for a versioned bucket.
   *
   * @default - the latest version
   */
  readonly objectVersion?: string;
  /**
   * How to run it when it is a Python application (a zip with the job's `.py` files).
   *
   * @default - a Java application (a jar)
   */
  readonly python?: PythonRunOptions;
}

/** Where the application code is, once bound to an application. */
export interface FlinkCodeConfig {
  /** The bucket that holds the package. */
  readonly bucket: s3.IBucket;
  /** The object key. */
  readonly key: string;
  /**
   * The object version.
   *
   * @default - the latest
   */
  readonly objectVersion?: string;
  /**
   * The Python run options, for a Python application.
   *
   * @default - a Java application
   */
  readonly python?: PythonRunOptions;
}

const DEFAULT_EXCLUDE = ['__pycache__', '*.pyc', '.venv', 'venv', '.pytest_cache', 'target'];

/**
 * The code of a Flink application: a local PyFlink project folder (zipped with its `lib/` jars and uploaded as an
 * asset), a local jar, or a package already in S3.
 */
export abstract class FlinkCode {
  /**
   * A PyFlink project folder, zipped as an asset: the entry point and every file beside it, `lib/` jars included.
   * The entry point must exist at synth time; a missing `jarFile` is a warning, since jars are usually built, not
   * committed.
   *
   * @param directory the project folder, which becomes the zip root
   * @param options the entry point and dependency jar, relative to the folder
   */
  public static fromPythonProject(directory: string, options: PythonProjectOptions): FlinkCode {
    return new PythonProjectCode(directory, options);
  }

  /**
   * A local jar (a Java or Scala application, its dependencies shaded in), uploaded as an asset.
   *
   * @param file path of the jar
   */
  public static fromJarFile(file: string): FlinkCode {
    return new JarFileCode(file);
  }

  /**
   * A package already in S3: a jar, or a zip of a Python application when `options.python` is given.
   *
   * @param bucket the bucket
   * @param key the object key
   * @param options object version and Python run options
   */
  public static fromBucket(bucket: s3.IBucket, key: string, options: FlinkBucketCodeOptions = {}): FlinkCode {
    return new BucketCode(bucket, key, options);
  }

  /**
   * Binds the code to an application, creating the asset under `scope` when there is one.
   *
   * @param scope the application
   */
  public abstract bind(scope: Construct): FlinkCodeConfig;
}

function checkPythonOptions(scope: Construct, options: PythonRunOptions): void {
  if (options.entryPoint === undefined || options.entryPoint.trim() === '') {
    fail(scope, 'a Python application needs an entry point (entryPoint, e.g. \'main.py\'): the service starts the job from the file named in the kinesis.analytics.flink.run.options property group');
  }
  if (!options.entryPoint.endsWith('.py')) fail(scope, `entryPoint must be a Python file (.py), got '${options.entryPoint}'`);
  for (const [what, value] of [['entryPoint', options.entryPoint], ['jarFile', options.jarFile]] as const) {
    if (value !== undefined && (path.isAbsolute(value) || value.split(/[\\/]/).includes('..'))) {
      fail(scope, `${what} must be relative to the root of the code package, got '${value}'`);
    }
  }
  if (options.jarFile !== undefined && !options.jarFile.endsWith('.jar')) fail(scope, `jarFile must be a .jar file, got '${options.jarFile}'`);
}

class PythonProjectCode extends FlinkCode {
  constructor(private readonly directory: string, private readonly options: PythonProjectOptions) {
    super();
  }

  public bind(scope: Construct): FlinkCodeConfig {
    checkPythonOptions(scope, this.options);
    if (!fs.existsSync(this.directory) || !fs.statSync(this.directory).isDirectory()) {
      fail(scope, `the PyFlink project folder ${this.directory} does not exist`);
    }
    if (!fs.existsSync(path.join(this.directory, this.options.entryPoint))) {
      fail(scope, `entryPoint ${this.options.entryPoint} is not in the PyFlink project folder ${this.directory}: the service could not start the job`);
    }
    if (this.options.jarFile && !fs.existsSync(path.join(this.directory, this.options.jarFile))) {
      warn(scope, 'FlinkJarMissing', `jarFile ${this.options.jarFile} is not in ${this.directory}: the package is zipped without it and the job will not find its connectors at run time. ` +
        'Build the jar (see the project\'s README) and synthesize again before deploying');
    }
    const asset = new s3assets.Asset(scope, 'Code', { path: this.directory, exclude: this.options.exclude ?? DEFAULT_EXCLUDE });
    return { bucket: asset.bucket, key: asset.s3ObjectKey, python: this.options };
  }
}

class JarFileCode extends FlinkCode {
  constructor(private readonly file: string) {
    super();
  }

  public bind(scope: Construct): FlinkCodeConfig {
    if (!this.file.endsWith('.jar')) fail(scope, `FlinkCode.fromJarFile takes a .jar file, got '${this.file}': for a Python project use FlinkCode.fromPythonProject`);
    if (!fs.existsSync(this.file)) fail(scope, `the jar ${this.file} does not exist: build it before synthesizing`);
    const asset = new s3assets.Asset(scope, 'Code', { path: this.file });
    return { bucket: asset.bucket, key: asset.s3ObjectKey };
  }
}

class BucketCode extends FlinkCode {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string, private readonly options: FlinkBucketCodeOptions) {
    super();
  }

  public bind(scope: Construct): FlinkCodeConfig {
    if (this.key === '') fail(scope, 'FlinkCode.fromBucket needs the key of the application package');
    if (this.options.python) checkPythonOptions(scope, this.options.python);
    return { bucket: this.bucket, key: this.key, objectVersion: this.options.objectVersion, python: this.options.python };
  }
}
