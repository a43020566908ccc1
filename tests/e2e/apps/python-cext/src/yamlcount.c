/* A C extension that parses YAML with libyaml (libyaml-0-2 at run time): the library is
 * what no distroless image carries, and only the built image says the module loads it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <yaml.h>

static PyObject *count(PyObject *self, PyObject *args) {
    const char *text;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "s#", &text, &len)) return NULL;
    yaml_parser_t parser;
    yaml_event_t event;
    long scalars = 0, mappings = 0, sequences = 0;
    if (!yaml_parser_initialize(&parser)) return PyErr_NoMemory();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, (size_t)len);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            yaml_parser_delete(&parser);
            PyErr_SetString(PyExc_ValueError, "not YAML");
            return NULL;
        }
        yaml_event_type_t type = event.type;
        if (type == YAML_SCALAR_EVENT) scalars++;
        if (type == YAML_MAPPING_START_EVENT) mappings++;
        if (type == YAML_SEQUENCE_START_EVENT) sequences++;
        yaml_event_delete(&event);
        if (type == YAML_STREAM_END_EVENT) break;
    }
    yaml_parser_delete(&parser);
    return Py_BuildValue("{s:l,s:l,s:l}", "scalars", scalars, "mappings", mappings,
                         "sequences", sequences);
}

static PyObject *version(PyObject *self, PyObject *args) {
    return PyUnicode_FromString(yaml_get_version_string());
}

static PyMethodDef methods[] = {
    {"count", count, METH_VARARGS, "Count the nodes of a YAML text."},
    {"libyaml_version", version, METH_NOARGS, "The libyaml version."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "yamlcount", NULL, -1, methods};

PyMODINIT_FUNC PyInit_yamlcount(void) { return PyModule_Create(&module); }
