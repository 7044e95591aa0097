// gpu/shaders/vk_bad_set1.comp — refused: a buffer in descriptor set 1
// (launches bind set 0 only).
#version 450
layout(local_size_x = 1) in;
layout(std430, set = 1, binding = 0) buffer O { uint o[]; };
void main() { o[0] = 1u; }
